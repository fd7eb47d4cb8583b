import { expect } from 'chai';
import { aSignedInUser, expectProblem, send } from '../../support/http-client.js';
import type { Portico } from '../../support/portico.js';
import { MEMORY_BACKEND, SQL_BACKENDS, usePortico } from '../../support/backends.js';
import { MONGO_BACKEND } from '../../support/mongo.js';

const refresh = (app: Portico, refreshToken: string) =>
  send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken } });

for (const backend of [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`HTTP sessions on ${backend.name}: refresh rotation, reuse detection and logout`, () => {
    const app = usePortico(backend, { REFRESH_REUSE_GRACE_S: '1' });

    it('rotates: a refresh spends the old token and returns a new working pair', async () => {
      const user = await aSignedInUser(app);
      const next = await refresh(app, user.refreshToken);
      expect(next.status, next.text).to.equal(200);
      expect(next.body).to.include({ tokenType: 'Bearer', expiresIn: 900 });
      expect(next.body.refreshToken).to.not.equal(user.refreshToken);
      expect((await send(app, 'GET', '/v1/auth/me', { token: next.body.accessToken })).status).to.equal(200);
    });

    it('answers two concurrent refreshes with one token with the same new refresh token', async () => {
      const user = await aSignedInUser(app);
      const [a, b] = await Promise.all([refresh(app, user.refreshToken), refresh(app, user.refreshToken)]);
      expect([a.status, b.status]).to.deep.equal([200, 200]);
      expect(a.body.refreshToken).to.equal(b.body.refreshToken);
    });

    it('revokes the whole family when a spent token comes back after the grace window', async () => {
      const user = await aSignedInUser(app);
      const next = await refresh(app, user.refreshToken);
      await new Promise((r) => setTimeout(r, 1100));
      expectProblem(await refresh(app, user.refreshToken), 401, 'AUTH.INVALID_REFRESH_TOKEN');
      expectProblem(await refresh(app, next.body.refreshToken), 401, 'AUTH.INVALID_REFRESH_TOKEN');
      expectProblem(
        await send(app, 'GET', '/v1/auth/me', { token: next.body.accessToken }),
        401,
        'AUTH.UNAUTHENTICATED',
      );
    });

    it('logout ends the session: its refresh and access tokens stop working at once', async () => {
      const user = await aSignedInUser(app);
      expect(
        (await send(app, 'POST', '/v1/auth/logout', { json: { refreshToken: user.refreshToken } })).status,
      ).to.equal(204);
      expectProblem(await refresh(app, user.refreshToken), 401, 'AUTH.INVALID_REFRESH_TOKEN');
      const me = await send(app, 'GET', '/v1/auth/me', { token: user.token });
      expectProblem(me, 401, 'AUTH.UNAUTHENTICATED');
      expect(me.headers.get('www-authenticate')).to.match(/^Bearer/);
    });

    it('a password change ends every session of the user', async () => {
      const user = await aSignedInUser(app);
      const second = await send(app, 'POST', '/v1/auth/login', {
        json: { email: user.email, password: user.password },
      });
      const change = await send(app, 'PUT', `/v1/users/${user.id}/password`, {
        token: user.token,
        json: { currentPassword: user.password, newPassword: 'a brand new secret' },
      });
      expect(change.status, change.text).to.equal(204);
      const sessions = [
        user,
        { refreshToken: second.body.refreshToken as string, token: second.body.accessToken as string },
      ];
      for (const { refreshToken, token } of sessions) {
        expectProblem(await refresh(app, refreshToken), 401, 'AUTH.INVALID_REFRESH_TOKEN');
        expectProblem(await send(app, 'GET', '/v1/auth/me', { token }), 401, 'AUTH.UNAUTHENTICATED');
      }
    });

    it('a role change by an admin ends the sessions issued under the old role', async () => {
      const user = await aSignedInUser(app);
      const admin = await send(app, 'POST', '/v1/auth/login', {
        json: { email: 'root@example.com', password: 'root password 1' },
      });
      const patch = await send(app, 'PATCH', `/v1/users/${user.id}`, {
        token: admin.body.accessToken,
        json: { role: 'admin' },
      });
      expect(patch.status, patch.text).to.equal(200);
      expectProblem(await refresh(app, user.refreshToken), 401, 'AUTH.INVALID_REFRESH_TOKEN');
    });

    it('never accepts a refresh token as an access token, nor the reverse', async () => {
      const user = await aSignedInUser(app);
      expectProblem(await send(app, 'GET', '/v1/auth/me', { token: user.refreshToken }), 401, 'AUTH.UNAUTHENTICATED');
      expectProblem(await refresh(app, user.token), 401, 'AUTH.INVALID_REFRESH_TOKEN');
    });

    it('rejects a malformed refresh body with 400 and changes nothing', async () => {
      expectProblem(
        await send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: { $ne: null } } }),
        400,
        'REQUEST.INVALID',
      );
    });
  });
}
