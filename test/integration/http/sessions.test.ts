import { expect } from 'chai';
import { expectProblem, newAccount, send } from '../../support/http-client.js';
import { startPortico, type Portico } from '../../support/portico.js';
import { SQL_BACKENDS, type Backend } from '../../support/backends.js';
import { MONGO_BACKEND } from '../../support/mongo.js';

const MEMORY: Backend = { name: 'memory', prepare: async () => ({ env: { DB_DRIVER: 'memory' }, dispose: async () => {} }) };

async function signUp(app: Portico, extra: object = {}) {
  const account = newAccount(extra);
  const reg = await send(app, 'POST', '/v1/auth/register', { json: account });
  expect(reg.status, reg.text).to.equal(201);
  const login = await send(app, 'POST', '/v1/auth/login', { json: { email: account.email, password: account.password } });
  expect(login.status, login.text).to.equal(200);
  return { account, id: reg.body.user.id as string, pair: login.body as { accessToken: string; refreshToken: string } };
}

const refresh = (app: Portico, refreshToken: string) => send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken } });

for (const backend of [MEMORY, ...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`HTTP sessions on ${backend.name}: refresh rotation, reuse detection and logout`, () => {
    let app: Portico;
    let dispose = async () => {};
    before(async function () {
      const prepared = await backend.prepare(this);
      dispose = prepared.dispose;
      app = await startPortico({ REFRESH_REUSE_GRACE_S: '1', ...prepared.env });
    });
    after(async () => {
      await app?.stop();
      await dispose();
    });

    it('rotates: a refresh spends the old token and returns a new working pair', async () => {
      const { pair } = await signUp(app);
      const next = await refresh(app, pair.refreshToken);
      expect(next.status, next.text).to.equal(200);
      expect(next.body).to.include({ tokenType: 'Bearer', expiresIn: 900 });
      expect(next.body.refreshToken).to.not.equal(pair.refreshToken);
      expect((await send(app, 'GET', '/v1/auth/me', { token: next.body.accessToken })).status).to.equal(200);
    });

    it('answers two concurrent refreshes with one token with the same new refresh token', async () => {
      const { pair } = await signUp(app);
      const [a, b] = await Promise.all([refresh(app, pair.refreshToken), refresh(app, pair.refreshToken)]);
      expect([a.status, b.status]).to.deep.equal([200, 200]);
      expect(a.body.refreshToken).to.equal(b.body.refreshToken);
    });

    it('revokes the whole family when a spent token comes back after the grace window', async () => {
      const { pair } = await signUp(app);
      const next = await refresh(app, pair.refreshToken);
      await new Promise((r) => setTimeout(r, 1100));
      expectProblem(await refresh(app, pair.refreshToken), 401, 'AUTH.INVALID_REFRESH_TOKEN');
      expectProblem(await refresh(app, next.body.refreshToken), 401, 'AUTH.INVALID_REFRESH_TOKEN');
      expectProblem(await send(app, 'GET', '/v1/auth/me', { token: next.body.accessToken }), 401, 'AUTH.UNAUTHENTICATED');
    });

    it('logout ends the session: its refresh and access tokens stop working at once', async () => {
      const { pair } = await signUp(app);
      expect((await send(app, 'POST', '/v1/auth/logout', { json: { refreshToken: pair.refreshToken } })).status).to.equal(204);
      expectProblem(await refresh(app, pair.refreshToken), 401, 'AUTH.INVALID_REFRESH_TOKEN');
      const me = await send(app, 'GET', '/v1/auth/me', { token: pair.accessToken });
      expectProblem(me, 401, 'AUTH.UNAUTHENTICATED');
      expect(me.headers.get('www-authenticate')).to.match(/^Bearer/);
    });

    it('a password change ends every session of the user', async () => {
      const { account, id, pair } = await signUp(app);
      const second = await send(app, 'POST', '/v1/auth/login', { json: { email: account.email, password: account.password } });
      const change = await send(app, 'PUT', `/v1/users/${id}/password`, {
        token: pair.accessToken,
        json: { currentPassword: account.password, newPassword: 'a brand new secret' },
      });
      expect(change.status, change.text).to.equal(204);
      for (const p of [pair, second.body as typeof pair]) {
        expectProblem(await refresh(app, p.refreshToken), 401, 'AUTH.INVALID_REFRESH_TOKEN');
        expectProblem(await send(app, 'GET', '/v1/auth/me', { token: p.accessToken }), 401, 'AUTH.UNAUTHENTICATED');
      }
    });

    it('a role change by an admin ends the sessions issued under the old role', async () => {
      const { id, pair } = await signUp(app);
      const admin = await send(app, 'POST', '/v1/auth/login', { json: { email: 'root@example.com', password: 'root password 1' } });
      const patch = await send(app, 'PATCH', `/v1/users/${id}`, { token: admin.body.accessToken, json: { role: 'admin' } });
      expect(patch.status, patch.text).to.equal(200);
      expectProblem(await refresh(app, pair.refreshToken), 401, 'AUTH.INVALID_REFRESH_TOKEN');
    });

    it('never accepts a refresh token as an access token, nor the reverse', async () => {
      const { pair } = await signUp(app);
      expectProblem(await send(app, 'GET', '/v1/auth/me', { token: pair.refreshToken }), 401, 'AUTH.UNAUTHENTICATED');
      expectProblem(await refresh(app, pair.accessToken), 401, 'AUTH.INVALID_REFRESH_TOKEN');
    });

    it('rejects a malformed refresh body with 400 and changes nothing', async () => {
      expectProblem(await send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: { $ne: null } } }), 400, 'REQUEST.INVALID');
    });
  });
}
