import { expect } from 'chai';
import {
  SEND_INTERVAL_MS,
  aVerifiedAccount,
  loginAnswer,
  me,
  register,
  signIn,
  useAccountsApp,
  type AccountsApp,
} from '../../support/accounts-app.js';
import { MEMORY_BACKEND, SQL_BACKENDS } from '../../support/backends.js';
import { expectProblem, newAccount, send } from '../../support/http-client.js';
import { MONGO_BACKEND } from '../../support/mongo.js';
import { PORTICO_ADMIN } from '../../support/portico.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const confirm = (app: { url: string }, token: string) =>
  send(app, 'POST', '/v1/auth/email/confirm', { json: { token } });

/** A verified, signed-in account. */
async function aSignedInAccount(app: AccountsApp) {
  const account = await aVerifiedAccount(app);
  const { accessToken } = await signIn(app, account.email, account.password);
  return { ...account, token: accessToken };
}

/** The account asks for `email` by PATCH: 200, and the email it has stays as it was. */
async function askForEmail(app: AccountsApp, account: { id: string; email: string; token: string }, email: string) {
  const res = await send(app, 'PATCH', `/v1/users/${account.id}`, { token: account.token, json: { email } });
  expect(res.status, res.text).to.equal(200);
  expect(res.body.user.email).to.equal(account.email);
}

for (const backend of [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`HTTP accounts on ${backend.name}: email change`, function () {
    const app = useAccountsApp(backend);
    let adminToken: string;
    before(async () => {
      adminToken = (await signIn(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password)).accessToken;
    });

    it('changes the email by PUT only once the link mailed to the new address is followed', async () => {
      const account = await aSignedInAccount(app);
      const next = newAccount().email;
      const put = await send(app, 'PUT', `/v1/users/${account.id}`, {
        token: account.token,
        json: { email: next, name: account.name, profile: {} },
      });
      expect(put.status, put.text).to.equal(200);
      expect(put.body.user.email).to.equal(account.email);
      expect((await me(app, account.token)).email).to.equal(account.email);
      const { token } = await app.mailbox.link(next, 'confirm-email');
      const notice = await app.mailbox.letter(account.email, new RegExp(next.replace(/[.+]/g, '\\$&')));
      expect(notice.text).not.to.match(/token=/);

      const res = await confirm(app, token);
      expect(res.status, res.text).to.equal(204);
      const user = await me(app, account.token);
      expect(user.email).to.equal(next);
      expect(user.emailVerifiedAt).to.match(ISO);
      await signIn(app, next, account.password);
      expectProblem(await loginAnswer(app, account.email, account.password), 401, 'AUTH.INVALID_CREDENTIALS');
      expectProblem(await confirm(app, token), 400, 'AUTH.TOKEN_INVALID');
    });

    it('changes the email by PATCH the same way', async () => {
      const account = await aSignedInAccount(app);
      const next = newAccount().email;
      await askForEmail(app, account, next);
      const { token } = await app.mailbox.link(next, 'confirm-email');
      expect((await confirm(app, token)).status).to.equal(204);
      expect((await me(app, account.token)).email).to.equal(next);
    });

    it('refuses an address another account has with 409', async () => {
      const account = await aSignedInAccount(app);
      const other = await register(app);
      for (const method of ['PATCH', 'PUT'])
        expectProblem(
          await send(app, method, `/v1/users/${account.id}`, {
            token: account.token,
            json: { email: other.email, name: account.name, profile: {} },
          }),
          409,
          'USER.EMAIL_TAKEN',
        );
      expectProblem(
        await send(app, 'PATCH', `/v1/users/${account.id}`, { token: adminToken, json: { email: other.email } }),
        409,
        'USER.EMAIL_TAKEN',
      );
      expect((await me(app, account.token)).email).to.equal(account.email);
    });

    it('mails nothing when the email asked for is the one the account has, in other case', async () => {
      const account = await aSignedInAccount(app);
      const letters = app.mailbox.lettersTo(account.email).length;
      const res = await send(app, 'PATCH', `/v1/users/${account.id}`, {
        token: account.token,
        json: { email: account.email.toUpperCase() },
      });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.user.email).to.equal(account.email);
      await app.mailbox.expectNoNewLetter(account.email, letters, 6 * SEND_INTERVAL_MS);
    });

    it('refuses the confirmation with 409 when the address was taken after the request', async () => {
      const account = await aSignedInAccount(app);
      const next = newAccount().email;
      await askForEmail(app, account, next);
      const { token } = await app.mailbox.link(next, 'confirm-email');
      const taken = await send(app, 'POST', '/v1/auth/register', { json: newAccount({ email: next }) });
      expect(taken.status, taken.text).to.equal(201);
      expectProblem(await confirm(app, token), 409, 'USER.EMAIL_TAKEN');
      expect((await me(app, account.token)).email).to.equal(account.email);
    });

    it('refuses a confirmation link past its lifetime', async () => {
      const account = await aSignedInAccount(app);
      const next = newAccount().email;
      await askForEmail(app, account, next);
      const { token } = await app.mailbox.link(next, 'confirm-email');
      app.clock.shift((app.config.accounts.ttlSeconds.changeEmail + 1) * 1000);
      try {
        expectProblem(await confirm(app, token), 400, 'AUTH.TOKEN_INVALID');
      } finally {
        app.clock.shift(0);
      }
      expect((await me(app, account.token)).email).to.equal(account.email);
    });

    it('gives an address to one account only when a confirmation and a registration race for it', async () => {
      const account = await aSignedInAccount(app);
      const next = newAccount().email;
      await askForEmail(app, account, next);
      const { token } = await app.mailbox.link(next, 'confirm-email');
      const [confirmed, registered] = await Promise.all([
        confirm(app, token),
        send(app, 'POST', '/v1/auth/register', { json: newAccount({ email: next }) }),
      ]);
      const outcome = `${confirmed.status} ${registered.status}`;
      expect(outcome, `${confirmed.text} ${registered.text}`).to.be.oneOf(['204 409', '409 201']);
      const owners = await send(app, 'GET', `/v1/users?email=${encodeURIComponent(next)}`, { token: adminToken });
      expect(owners.body.items, owners.text).to.have.length(1);
    });

    it("applies an admin's change of another user's email at once, unverified, and mails a verify link", async () => {
      const account = await aSignedInAccount(app);
      const next = newAccount().email;
      const res = await send(app, 'PATCH', `/v1/users/${account.id}`, { token: adminToken, json: { email: next } });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.user).to.include({ email: next, emailVerifiedAt: null });
      const { token } = await app.mailbox.link(next, 'verify-email');
      expect((await send(app, 'POST', '/v1/auth/email/verify', { json: { token } })).status).to.equal(204);
      const { accessToken } = await signIn(app, next, account.password);
      const user = await me(app, accessToken);
      expect(user.email).to.equal(next);
      expect(user.emailVerifiedAt).to.match(ISO);
    });

    it('kills the other pending changes and the links mailed to the old address once a change is confirmed', async () => {
      const account = await aSignedInAccount(app);
      const [first, second] = [newAccount().email, newAccount().email];
      const forgot = await send(app, 'POST', '/v1/auth/password/forgot', { json: { email: account.email } });
      expect(forgot.status, forgot.text).to.equal(202);
      const reset = await app.mailbox.link(account.email, 'reset-password');
      await askForEmail(app, account, first);
      await askForEmail(app, account, second);
      const firstLink = await app.mailbox.link(first, 'confirm-email');
      const secondLink = await app.mailbox.link(second, 'confirm-email');
      expect((await confirm(app, secondLink.token)).status).to.equal(204);
      expectProblem(await confirm(app, firstLink.token), 400, 'AUTH.TOKEN_INVALID');
      expectProblem(
        await send(app, 'POST', '/v1/auth/password/reset', {
          json: { token: reset.token, newPassword: 'a brand new password' },
        }),
        400,
        'AUTH.TOKEN_INVALID',
      );
      expect((await me(app, account.token)).email).to.equal(second);
    });

    it('verifies nothing with a link mailed to an address the account no longer has', async () => {
      const account = await register(app);
      const old = await app.mailbox.link(account.email, 'verify-email');
      const next = newAccount().email;
      const res = await send(app, 'PATCH', `/v1/users/${account.id}`, { token: adminToken, json: { email: next } });
      expect(res.status, res.text).to.equal(200);
      expectProblem(
        await send(app, 'POST', '/v1/auth/email/verify', { json: { token: old.token } }),
        400,
        'AUTH.TOKEN_INVALID',
      );
      const { accessToken } = await signIn(app, next, account.password);
      expect((await me(app, accessToken)).emailVerifiedAt).to.equal(null);
    });

    it('changes only the account whose link was followed', async () => {
      const a = await aSignedInAccount(app);
      const b = await aSignedInAccount(app);
      const [nextA, nextB] = [newAccount().email, newAccount().email];
      await askForEmail(app, a, nextA);
      await askForEmail(app, b, nextB);
      const { token } = await app.mailbox.link(nextA, 'confirm-email');
      expect((await confirm(app, token)).status).to.equal(204);
      expect((await me(app, a.token)).email).to.equal(nextA);
      expect((await me(app, b.token)).email).to.equal(b.email);
      const other = await app.mailbox.link(nextB, 'confirm-email');
      expect((await confirm(app, other.token)).status).to.equal(204);
      expect((await me(app, b.token)).email).to.equal(nextB);
      expect((await me(app, a.token)).email).to.equal(nextA);
    });
  });
}
