import { expect } from 'chai';
import { expectAccepted, loginAnswer, signIn, totpCode, useAccountsApp } from '../../support/accounts-app.js';
import { MEMORY_BACKEND, SQL_BACKENDS } from '../../support/backends.js';
import { expectProblem, login, newAccount, send, type Answer } from '../../support/http-client.js';
import { anAccountWithTotp, challenge, verify } from '../../support/mfa.js';
import { MONGO_BACKEND } from '../../support/mongo.js';
import { PORTICO_ADMIN } from '../../support/portico.js';
import { expectEveryPairDead } from '../../support/session-race.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** What a login refusal says, without the parts that differ from one request to the next. */
const refusalOf = (res: Answer) => {
  const { requestId: _requestId, ...rest } = res.body;
  return rest;
};

/** 401 with the Bearer challenge, as the contract asks of a token that no longer works. */
function expectBearerRefused(res: Answer): void {
  expect(res.status, res.text).to.equal(401);
  expect(res.headers.get('www-authenticate'), 'WWW-Authenticate').to.match(/^Bearer\b/);
  expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
}

for (const backend of [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`HTTP users on ${backend.name}: disabling and re-enabling accounts`, function () {
    const app = useAccountsApp(backend);
    let adminToken: string;

    before(async () => {
      adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
    });

    /** A user an admin created, with the account (email, password) and the user answered. */
    async function aUser(extra: object = {}) {
      const account = newAccount(extra);
      const res = await send(app, 'POST', '/v1/users', { token: adminToken, json: account });
      expect(res.status, res.text).to.equal(201);
      return { ...account, id: res.body.user.id as string, user: res.body.user as Record<string, unknown> };
    }

    const setStatus = (id: string, status: unknown, token = adminToken) =>
      send(app, 'PATCH', `/v1/users/${id}`, { token, json: { status } });

    async function disable(id: string) {
      const res = await setStatus(id, 'disabled');
      expect(res.status, res.text).to.equal(200);
      return res;
    }

    const adminView = async (id: string) => {
      const res = await send(app, 'GET', `/v1/users/${id}`, { token: adminToken });
      expect(res.status, res.text).to.equal(200);
      return res.body.user as Record<string, unknown>;
    };

    it('shows a new user as active and not deleted, to an admin and to themselves', async () => {
      const user = await aUser();
      expect(user.user).to.include({ status: 'active', deletedAt: null });
      const { accessToken } = await signIn(app, user.email, user.password);
      const self = await send(app, 'GET', `/v1/users/${user.id}`, { token: accessToken });
      expect(self.body.user).to.include({ status: 'active', deletedAt: null });
      expect((await send(app, 'GET', '/v1/auth/me', { token: accessToken })).body.user).to.include({
        status: 'active',
        deletedAt: null,
      });
    });

    it('lets an admin disable a user: 200 with the user now disabled', async () => {
      const user = await aUser();
      const res = await disable(user.id);
      expect(res.body.user).to.include({ id: user.id, status: 'disabled', deletedAt: null, email: user.email });
      expect(res.body.user.updatedAt).to.match(ISO);
      expect(await adminView(user.id)).to.include({ status: 'disabled', deletedAt: null });
    });

    it('ends every session of a disabled user at once: access and refresh tokens answer 401', async () => {
      const user = await aUser();
      const first = await signIn(app, user.email, user.password);
      const second = await signIn(app, user.email, user.password);
      expect((await send(app, 'GET', '/v1/auth/me', { token: first.accessToken })).status).to.equal(200);
      await disable(user.id);
      for (const session of [first, second]) {
        expectBearerRefused(await send(app, 'GET', '/v1/auth/me', { token: session.accessToken }));
        expectBearerRefused(await send(app, 'GET', `/v1/users/${user.id}`, { token: session.accessToken }));
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
      expectBearerRefused(await send(app, 'GET', '/v1/auth/me', { token: before.accessToken }));
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

    it('takes the same status twice without harm', async () => {
      const user = await aUser();
      await disable(user.id);
      expect((await disable(user.id)).body.user.status).to.equal('disabled');
      expectProblem(await loginAnswer(app, user.email, user.password), 403, 'AUTH.ACCOUNT_DISABLED');
      for (let i = 0; i < 2; i++) expect((await setStatus(user.id, 'active')).body.user.status).to.equal('active');
      await signIn(app, user.email, user.password);
    });

    it('refuses status from a non-admin, even for themselves, and changes nothing', async () => {
      const user = await aUser();
      const { accessToken } = await signIn(app, user.email, user.password);
      expectProblem(await setStatus(user.id, 'disabled', accessToken), 403, 'AUTH.FORBIDDEN');
      expectProblem(await setStatus(user.id, 'active', accessToken), 403, 'AUTH.FORBIDDEN');
      const withName = await send(app, 'PATCH', `/v1/users/${user.id}`, {
        token: accessToken,
        json: { name: 'Should not stick', status: 'disabled' },
      });
      expectProblem(withName, 403, 'AUTH.FORBIDDEN');
      expect(await adminView(user.id)).to.include({ status: 'active', name: user.name });
      // Their session still works: the refusal changed nothing.
      expect((await send(app, 'GET', '/v1/auth/me', { token: accessToken })).status).to.equal(200);
      await signIn(app, user.email, user.password);
    });

    it("refuses a non-admin disabling someone else, and that user's sessions keep working", async () => {
      const [victim, other] = [await aUser(), await aUser()];
      const victimSession = await signIn(app, victim.email, victim.password);
      const { accessToken } = await signIn(app, other.email, other.password);
      const res = await setStatus(victim.id, 'disabled', accessToken);
      // 403 (status is admin-only) or 404 (another user's id looks absent): either way, nothing changes.
      expect(res.status, res.text).to.be.oneOf([403, 404]);
      expect(await adminView(victim.id)).to.include({ status: 'active' });
      expect((await send(app, 'GET', '/v1/auth/me', { token: victimSession.accessToken })).status).to.equal(200);
    });

    it('refuses a status that is not active or disabled with 400 REQUEST.INVALID', async () => {
      const user = await aUser();
      for (const status of ['deleted', 'suspended', 'Disabled', 'ACTIVE', '', 1, true, null, { $ne: null }, ['active']])
        expectProblem(await setStatus(user.id, status), 400, 'REQUEST.INVALID');
      expect(await adminView(user.id)).to.include({ status: 'active', deletedAt: null });
      await signIn(app, user.email, user.password);
    });

    it('stops a disabled admin from acting as an admin', async () => {
      const admin = await aUser({ role: 'admin' });
      const session = await signIn(app, admin.email, admin.password);
      expect((await send(app, 'GET', '/v1/users?limit=1', { token: session.accessToken })).status).to.equal(200);
      await disable(admin.id);
      expectBearerRefused(await send(app, 'GET', '/v1/users?limit=1', { token: session.accessToken }));
      expectBearerRefused(await send(app, 'POST', '/v1/users', { token: session.accessToken, json: newAccount() }));
      expectProblem(await loginAnswer(app, admin.email, admin.password), 403, 'AUTH.ACCOUNT_DISABLED');
    });

    it('refuses an admin disabling their own account (403), which stays active and signed in', async () => {
      const admin = await aUser({ role: 'admin' });
      const session = await signIn(app, admin.email, admin.password);
      expectProblem(await setStatus(admin.id, 'disabled', session.accessToken), 403, 'AUTH.FORBIDDEN');
      expect(await adminView(admin.id)).to.include({ status: 'active' });
      expect((await send(app, 'GET', '/v1/users?limit=1', { token: session.accessToken })).status).to.equal(200);
    });

    it('disables a user and changes their name in one admin patch', async () => {
      const user = await aUser();
      const res = await send(app, 'PATCH', `/v1/users/${user.id}`, {
        token: adminToken,
        json: { status: 'disabled', name: 'Paused Person' },
        contentType: 'application/merge-patch+json',
      });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.user).to.include({ status: 'disabled', name: 'Paused Person' });
      expectProblem(await loginAnswer(app, user.email, user.password), 403, 'AUTH.ACCOUNT_DISABLED');
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
      expectBearerRefused(await send(app, 'GET', '/v1/auth/me', { token: user.token }));
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

    it('gives a status change a new ETag, and refuses one over a stale If-Match with 412', async () => {
      const user = await aUser();
      const before = (await send(app, 'GET', `/v1/users/${user.id}`, { token: adminToken })).headers.get('etag');
      expect(before).to.be.a('string');
      const disabled = await send(app, 'PATCH', `/v1/users/${user.id}`, {
        token: adminToken,
        json: { status: 'disabled' },
        headers: { 'if-match': before! },
      });
      expect(disabled.status, disabled.text).to.equal(200);
      expect(disabled.headers.get('etag')).to.be.a('string').and.not.equal(before);
      const stale = await send(app, 'PATCH', `/v1/users/${user.id}`, {
        token: adminToken,
        json: { status: 'active' },
        headers: { 'if-match': before! },
      });
      expectProblem(stale, 412, 'PRECONDITION.FAILED');
      expect(await adminView(user.id)).to.include({ status: 'disabled' });
    });

    it('answers 404 USER.NOT_FOUND when disabling a user that does not exist', async () => {
      const missing = '01900000-0000-7000-8000-000000000000';
      expectProblem(await setStatus(missing, 'disabled'), 404, 'USER.NOT_FOUND');
    });
  });
}
