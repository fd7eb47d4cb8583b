import { expect } from 'chai';
import { loginAnswer, signIn, useAccountsApp } from '../../support/accounts-app.js';
import { expectProblem, login, newAccount, send } from '../../support/http-client.js';
import { PORTICO_ADMIN } from '../../support/portico.js';
import { ISO, USER_BACKENDS, expectBearerProblem } from '../../support/users-admin.js';
import { statusAdminOf } from '../../support/users-status-admin.js';

for (const backend of USER_BACKENDS) {
  describe(`HTTP users on ${backend.name}: disabling and re-enabling accounts`, function () {
    const app = useAccountsApp(backend);
    let adminToken: string;

    before(async () => {
      adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
    });

    const { aUser, setStatus, disable, adminView } = statusAdminOf(app, () => adminToken);

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
      expectBearerProblem(await send(app, 'GET', '/v1/users?limit=1', { token: session.accessToken }));
      expectBearerProblem(await send(app, 'POST', '/v1/users', { token: session.accessToken, json: newAccount() }));
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
