import { expect } from 'chai';
import pg from 'pg';
import { aVerifiedAccount, signIn, useAccountsApp } from '../../support/accounts-app.js';
import { SQL_BACKENDS } from '../../support/backends.js';
import { newAccount, send } from '../../support/http-client.js';

type PgClient = { _queryQueue: unknown[]; pipeline?: boolean };

/**
 * pg 8 queues a query sent on a client that is still busy, with a one-time DeprecationWarning; pg 9
 * refuses it. Inside a transaction every query goes to one client, so the account flows that write
 * in a unit of work must send them one after another. Seen here by watching `Client#query`, since
 * the warning itself is printed once per process only.
 */
describe('HTTP accounts on PostgreSQL: one query at a time on a transaction client', function () {
  const app = useAccountsApp(SQL_BACKENDS[1]!);
  const overlaps: string[] = [];
  const query = pg.Client.prototype.query;
  before(() => {
    pg.Client.prototype.query = function (this: PgClient, ...args: unknown[]) {
      if (this._queryQueue.length > 0 && !this.pipeline) {
        const sent = args[0] as string | { text?: string };
        overlaps.push((typeof sent === 'string' ? sent : String(sent.text)).slice(0, 100));
      }
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
  });
  after(() => {
    pg.Client.prototype.query = query;
  });
  beforeEach(() => (overlaps.length = 0));

  it('confirms an email change without overlapping queries', async () => {
    const account = await aVerifiedAccount(app);
    const { accessToken: token } = await signIn(app, account.email, account.password);
    const next = newAccount().email;
    expect((await send(app, 'PATCH', `/v1/users/${account.id}`, { token, json: { email: next } })).status).to.equal(
      200,
    );
    const link = await app.mailbox.link(next, 'confirm-email');
    expect((await send(app, 'POST', '/v1/auth/email/confirm', { json: { token: link.token } })).status).to.equal(204);
    expect(overlaps).to.deep.equal([]);
  });

  it('resets a password without overlapping queries', async () => {
    const account = await aVerifiedAccount(app);
    expect((await send(app, 'POST', '/v1/auth/password/forgot', { json: { email: account.email } })).status).to.equal(
      202,
    );
    const link = await app.mailbox.link(account.email, 'reset-password');
    const res = await send(app, 'POST', '/v1/auth/password/reset', {
      json: { token: link.token, newPassword: 'a brand new password' },
    });
    expect(res.status, res.text).to.equal(204);
    expect(overlaps).to.deep.equal([]);
  });

  it('changes a password without overlapping queries', async () => {
    const account = await aVerifiedAccount(app);
    const { accessToken: token } = await signIn(app, account.email, account.password);
    const res = await send(app, 'PUT', `/v1/users/${account.id}/password`, {
      token,
      json: { currentPassword: account.password, newPassword: 'a brand new password' },
    });
    expect(res.status, res.text).to.equal(204);
    expect(overlaps).to.deep.equal([]);
  });
});
