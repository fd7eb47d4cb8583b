import { expect } from 'chai';
import { expectAccepted, loginAnswer, signIn, totpCode, useAccountsApp } from '../../support/accounts-app.js';
import { expectProblem, login, newAccount, send } from '../../support/http-client.js';
import { anAccountWithTotp, challenge, verify } from '../../support/mfa.js';
import { PORTICO_ADMIN } from '../../support/portico.js';
import { expectEveryPairDead } from '../../support/session-race.js';
import { USER_BACKENDS, expectBearerProblem, refusalOf } from '../../support/users-admin.js';
import { statusAdminOf } from '../../support/users-status-admin.js';

for (const backend of USER_BACKENDS) {
  describe(`HTTP users on ${backend.name}: disabling and re-enabling accounts`, function () {
    const app = useAccountsApp(backend);
    let adminToken: string;

    before(async () => {
      adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
    });

    const { aUser, setStatus, disable } = statusAdminOf(app, () => adminToken);

    it('ends every session of a disabled user at once: access and refresh tokens answer 401', async () => {
      const user = await aUser();
      const first = await signIn(app, user.email, user.password);
      const second = await signIn(app, user.email, user.password);
      expect((await send(app, 'GET', '/v1/auth/me', { token: first.accessToken })).status).to.equal(200);
      await disable(user.id);
      for (const session of [first, second]) {
        expectBearerProblem(await send(app, 'GET', '/v1/auth/me', { token: session.accessToken }));
        expectBearerProblem(await send(app, 'GET', `/v1/users/${user.id}`, { token: session.accessToken }));
        const refresh = await send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: session.refreshToken } });
        expect(refresh.status, refresh.text).to.equal(401);
      }
    });

    it('answers the right password of a disabled user with 403 AUTH.ACCOUNT_DISABLED', async () => {
      const user = await aUser();
      await disable(user.id);
      const res = await loginAnswer(app, user.email, user.password);
      expectProblem(res, 403, 'AUTH.ACCOUNT_DISABLED');
      expect(res.body).not.to.have.property('accessToken');
      // However the email is typed.
      expectProblem(
        await loginAnswer(app, `  ${user.email.toUpperCase()} `, user.password),
        403,
        'AUTH.ACCOUNT_DISABLED',
      );
    });

    it('keeps answering the right password of a disabled user with 403, not as a throttled failure', async () => {
      const user = await aUser();
      await disable(user.id);
      const limit = app.config.throttle.perAccount;
      for (let i = 0; i <= limit + 1; i++)
        expectProblem(await loginAnswer(app, user.email, user.password), 403, 'AUTH.ACCOUNT_DISABLED');
    });

    it('answers a wrong password of a disabled user exactly as it answers an unknown email', async () => {
      const user = await aUser();
      await disable(user.id);
      const wrong = await loginAnswer(app, user.email, 'not the password at all');
      const unknown = await loginAnswer(app, newAccount().email, 'not the password at all');
      expectProblem(wrong, 401, 'AUTH.INVALID_CREDENTIALS');
      expectProblem(unknown, 401, 'AUTH.INVALID_CREDENTIALS');
      expect(refusalOf(wrong)).to.deep.equal(refusalOf(unknown));
    });

    it('lets a re-enabled user log in again, while the sessions from before stay ended', async () => {
      const user = await aUser();
      const before = await signIn(app, user.email, user.password);
      await disable(user.id);
      const enabled = await setStatus(user.id, 'active');
      expect(enabled.status, enabled.text).to.equal(200);
      expect(enabled.body.user).to.include({ status: 'active', deletedAt: null });

      const after = await signIn(app, user.email, user.password);
      expect((await send(app, 'GET', '/v1/auth/me', { token: after.accessToken })).body.user.id).to.equal(user.id);
      const refreshed = await send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: after.refreshToken } });
      expect(refreshed.status, refreshed.text).to.equal(200);

      const oldRefresh = await send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: before.refreshToken } });
      expect(oldRefresh.status, oldRefresh.text).to.equal(401);
      expectBearerProblem(await send(app, 'GET', '/v1/auth/me', { token: before.accessToken }));
    });

    it('leaves no working session from logins and refreshes that raced the disable, even after re-enabling', async () => {
      for (let round = 0; round < 5; round++) {
        const user = await aUser();
        const sessions = await Promise.all([1, 2, 3].map(() => signIn(app, user.email, user.password)));
        const [raced, disabled] = await Promise.all([
          Promise.all([
            ...[1, 2, 3, 4].map(() => loginAnswer(app, user.email, user.password)),
            ...sessions.map((s) => send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: s.refreshToken } })),
          ]),
          setStatus(user.id, 'disabled'),
        ]);
        expect(disabled.status, disabled.text).to.equal(200);
        for (const res of raced) expect(res.status, res.text).to.be.oneOf([200, 401, 403, 429]);
        expect((await setStatus(user.id, 'active')).status).to.equal(200);
        await expectEveryPairDead(app, sessions, raced, { logins: 4, when: `round ${round}, after re-enabling` });
      }
    });

    it('keeps the sessions of other users when one user is disabled', async () => {
      const [target, bystander] = [await aUser(), await aUser()];
      const session = await signIn(app, bystander.email, bystander.password);
      await disable(target.id);
      expect((await send(app, 'GET', '/v1/auth/me', { token: session.accessToken })).status).to.equal(200);
      const refreshed = await send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: session.refreshToken } });
      expect(refreshed.status, refreshed.text).to.equal(200);
      expect((await send(app, 'GET', '/v1/users?limit=1', { token: adminToken })).status).to.equal(200);
    });

    it('refuses a disabled user with TOTP at the password step, and gives no tokens for a challenge from before', async () => {
      const user = await anAccountWithTotp(app);
      const pending = await challenge(app, user);
      await disable(user.id);
      expectProblem(await loginAnswer(app, user.email, user.password), 403, 'AUTH.ACCOUNT_DISABLED');
      // The second step is a way in too: the right recovery code or TOTP code must not sign a disabled user in.
      const recovery = await verify(app, { challenge: pending, recoveryCode: user.recoveryCodes[0] });
      const usable =
        recovery.status === 200
          ? (await send(app, 'GET', '/v1/auth/me', { token: recovery.body.accessToken as string })).status
          : 'none';
      expect(recovery.status, `${recovery.text} (GET /v1/auth/me with its access token: ${usable})`).to.be.oneOf([
        401, 403,
      ]);
      expect(recovery.body).not.to.have.any.keys('accessToken', 'refreshToken');
      const code = await verify(app, { challenge: pending, code: totpCode(user.secret, 1) });
      expect(code.status, code.text).to.be.oneOf([401, 403]);
      expect(code.body).not.to.have.any.keys('accessToken', 'refreshToken');
      expectBearerProblem(await send(app, 'GET', '/v1/auth/me', { token: user.token }));
    });

    it('does not let a password reset sign a disabled user in', async () => {
      const user = await aUser();
      expectAccepted(await send(app, 'POST', '/v1/auth/password/forgot', { json: { email: user.email } }));
      const { token } = await app.mailbox.link(user.email, 'reset-password');
      await disable(user.id);
      const reset = await send(app, 'POST', '/v1/auth/password/reset', {
        json: { token, newPassword: 'a brand new password' },
      });
      // Refusing the link or taking it are both fine; a token pair for the disabled account is not.
      expect(reset.status, reset.text).to.be.oneOf([204, 400, 403]);
      const password = reset.status === 204 ? 'a brand new password' : user.password;
      expectProblem(await loginAnswer(app, user.email, password), 403, 'AUTH.ACCOUNT_DISABLED');
      expect((await setStatus(user.id, 'active')).status).to.equal(200);
      await signIn(app, user.email, password);
    });
  });
}
