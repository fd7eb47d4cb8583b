import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { expectAccepted, loginAnswer, signIn, useAccountsApp } from '../../support/accounts-app.js';
import { usePortico } from '../../support/backends.js';
import { expectProblem, login, newAccount, send } from '../../support/http-client.js';
import { PORTICO_ADMIN } from '../../support/portico.js';
import { until } from '../../support/until.js';
import { ISO, MISSING_ID, USER_BACKENDS, adminOf, expectBearerRefused } from '../../support/users-admin.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a purge may take with USER_PURGE_INTERVAL_SECONDS=1. */
const PURGE_WITHIN_MS = 15_000;

for (const backend of USER_BACKENDS) {
  describe(`HTTP users on ${backend.name}: soft delete and restore`, function () {
    const app = useAccountsApp(backend);
    let adminToken: string;
    const admin = adminOf(app, () => adminToken);

    before(async () => {
      adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
    });

    it('restores a deleted user: 200 with deletedAt null; they log in again, their old sessions stay ended', async () => {
      const user = await admin.create();
      const old = await signIn(app, user.email, user.password);
      await admin.softDelete(user.id, old.accessToken);
      const res = await admin.restore(user.id);
      expect(res.status, res.text).to.equal(200);
      expect(res.body.user).to.include({ id: user.id, email: user.email, status: 'active', deletedAt: null });
      expect((await admin.get(user.id)).body.user).to.include({ deletedAt: null, status: 'active' });
      expect(await admin.listIds({ email: user.email })).to.deep.equal([user.id]);
      expect(await admin.listIds({ email: user.email, status: 'deleted' })).to.deep.equal([]);

      const fresh = await signIn(app, user.email, user.password);
      expect((await send(app, 'GET', '/v1/auth/me', { token: fresh.accessToken })).body.user.id).to.equal(user.id);
      expectBearerRefused(await send(app, 'GET', '/v1/auth/me', { token: old.accessToken }));
      const refresh = await send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: old.refreshToken } });
      expect(refresh.status, refresh.text).to.equal(401);
    });

    it('restores a user who was disabled before deletion as still disabled', async () => {
      const user = await admin.create();
      const disabled = await send(app, 'PATCH', `/v1/users/${user.id}`, {
        token: adminToken,
        json: { status: 'disabled' },
      });
      expect(disabled.status, disabled.text).to.equal(200);
      await admin.softDelete(user.id);
      expect((await admin.get(user.id)).body.user).to.include({ status: 'disabled' });
      const res = await admin.restore(user.id);
      expect(res.status, res.text).to.equal(200);
      expect(res.body.user).to.include({ status: 'disabled', deletedAt: null });
      expectProblem(await loginAnswer(app, user.email, user.password), 403, 'AUTH.ACCOUNT_DISABLED');
      expect(await admin.listIds({ email: user.email, status: 'disabled' })).to.deep.equal([user.id]);
    });

    it('refuses restore from a non-admin with 403 AUTH.FORBIDDEN and restores nothing', async () => {
      const [user, other] = [await admin.create(), await admin.create()];
      const { accessToken } = await signIn(app, other.email, other.password);
      await admin.softDelete(user.id);
      expectProblem(await admin.restore(user.id, accessToken), 403, 'AUTH.FORBIDDEN');
      expectProblem(await admin.restore(other.id, accessToken), 403, 'AUTH.FORBIDDEN');
      expect((await admin.get(user.id)).body.user.deletedAt).to.match(ISO);
      expectProblem(await loginAnswer(app, user.email, user.password), 401, 'AUTH.INVALID_CREDENTIALS');
      expectBearerRefused(await send(app, 'POST', `/v1/users/${user.id}/restore`));
    });

    it('answers restore of a user that is not deleted with 409 USER.NOT_DELETED, and of an unknown id with 404', async () => {
      const user = await admin.create();
      expectProblem(await admin.restore(user.id), 409, 'USER.NOT_DELETED');
      await admin.softDelete(user.id);
      expect((await admin.restore(user.id)).status).to.equal(200);
      expectProblem(await admin.restore(user.id), 409, 'USER.NOT_DELETED');
      expectProblem(await admin.restore(MISSING_ID), 404, 'USER.NOT_FOUND');
      expect((await admin.restore('not-a-uuid')).status).to.equal(404);
      await signIn(app, user.email, user.password);
    });

    it('restores within the default 30-day window and refuses with 410 USER.RESTORE_EXPIRED past it', async () => {
      const [early, late] = [await admin.create(), await admin.create()];
      await admin.softDelete(early.id);
      await admin.softDelete(late.id);
      try {
        app.clock.shift(29 * DAY_MS);
        adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
        expect((await admin.restore(early.id)).status).to.equal(200);
        app.clock.shift(31 * DAY_MS);
        adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
        expectProblem(await admin.restore(late.id), 410, 'USER.RESTORE_EXPIRED');
      } finally {
        app.clock.shift(0);
        adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
      }
      await signIn(app, early.email, early.password);
    });
  });

  describe(`HTTP users on ${backend.name}: restore past the window`, function () {
    // The window is over at once; the purge is kept far away so the user is still there to refuse.
    const app = usePortico(backend, { USER_RESTORE_DAYS: '0', USER_PURGE_INTERVAL_SECONDS: '3600' });
    let adminToken: string;
    const admin = adminOf(app, () => adminToken);

    before(async () => {
      adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
    });

    it('answers 410 USER.RESTORE_EXPIRED and leaves the user deleted', async () => {
      const user = await admin.create();
      await admin.softDelete(user.id);
      expectProblem(await admin.restore(user.id), 410, 'USER.RESTORE_EXPIRED');
      expect(await admin.listIds({ email: user.email, status: 'deleted' })).to.deep.equal([user.id]);
      expectProblem(await loginAnswer(app, user.email, user.password), 401, 'AUTH.INVALID_CREDENTIALS');
    });

    it('still answers 409 USER.NOT_DELETED for a live user', async () => {
      const user = await admin.create();
      expectProblem(await admin.restore(user.id), 409, 'USER.NOT_DELETED');
    });
  });

  describe(`HTTP users on ${backend.name}: the purge keeps users inside the window`, function () {
    this.timeout(PURGE_WITHIN_MS + 20_000);
    // The default 30-day window, with a purge every second.
    const app = useAccountsApp(backend, { USER_PURGE_INTERVAL_SECONDS: '1' });
    let adminToken: string;
    const admin = adminOf(app, () => adminToken);

    before(async () => {
      adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
    });

    it('leaves a user deleted moments ago restorable through several purges, and purges them past 30 days', async () => {
      const [kept, gone] = [await admin.create(), await admin.create()];
      await admin.softDelete(kept.id);
      await admin.softDelete(gone.id);
      await sleep(3_500);
      expect((await admin.get(kept.id)).body.user.deletedAt).to.match(ISO);
      const restored = await admin.restore(kept.id);
      expect(restored.status, restored.text).to.equal(200);
      await signIn(app, kept.email, kept.password);
      expect((await admin.get(gone.id)).status).to.equal(200);

      try {
        app.clock.shift(31 * DAY_MS);
        adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
        await until(async () => (await admin.get(gone.id)).status === 404, { everyMs: 200, withinMs: PURGE_WITHIN_MS });
        expectProblem(await admin.get(gone.id), 404, 'USER.NOT_FOUND');
        // Restored, so not deleted: the purge has nothing to do with them.
        expect((await admin.get(kept.id)).body.user).to.include({ deletedAt: null });
      } finally {
        app.clock.shift(0);
        adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
      }
    });
  });

  describe(`HTTP users on ${backend.name}: the purge of deleted users`, function () {
    this.timeout(PURGE_WITHIN_MS + 20_000);
    const app = useAccountsApp(backend, { USER_RESTORE_DAYS: '0', USER_PURGE_INTERVAL_SECONDS: '1' });
    let adminToken: string;
    const admin = adminOf(app, () => adminToken);

    before(async () => {
      adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
    });

    async function uploadAs(token: string, text: string) {
      const res = await send(app, 'POST', '/v1/files?name=note.txt', { token, raw: text, contentType: 'text/plain' });
      expect(res.status, res.text).to.equal(201);
      return res.body.file.id as string;
    }

    it('deletes a soft-deleted user for good, with their files, and frees the email', async () => {
      const [user, bystander] = [await admin.create(), await admin.create()];
      const disabledOne = await admin.create();
      const session = await signIn(app, user.email, user.password);
      const fileId = await uploadAs(session.accessToken, 'soon gone');
      const keptFile = await uploadAs((await signIn(app, bystander.email, bystander.password)).accessToken, 'kept');
      expect((await send(app, 'GET', `/v1/files/${fileId}`, { token: adminToken })).status).to.equal(200);
      const paused = await send(app, 'PATCH', `/v1/users/${disabledOne.id}`, {
        token: adminToken,
        json: { status: 'disabled' },
      });
      expect(paused.status, paused.text).to.equal(200);

      await admin.softDelete(user.id, session.accessToken);
      await until(async () => (await admin.get(user.id)).status === 404, { everyMs: 200, withinMs: PURGE_WITHIN_MS });

      expectProblem(await admin.get(user.id), 404, 'USER.NOT_FOUND');
      expect(await admin.listIds({ email: user.email, status: 'deleted' })).to.deep.equal([]);
      expect(await admin.listIds({ status: 'deleted' })).not.to.include(user.id);
      expectProblem(await admin.restore(user.id), 404, 'USER.NOT_FOUND');
      expectProblem(await send(app, 'GET', `/v1/files/${fileId}`, { token: adminToken }), 404, 'FILE.NOT_FOUND');
      const again = await send(app, 'POST', '/v1/auth/register', { json: { ...newAccount(), email: user.email } });
      expect(again.status, again.text).to.equal(201);
      expect(again.body.user.id).not.to.equal(user.id);
      expect(again.body.user).to.include({ status: 'active', deletedAt: null });

      // Users who were never deleted stay, disabled or not, and so do their files.
      expect((await admin.get(bystander.id)).status).to.equal(200);
      expect((await admin.get(disabledOne.id)).body.user).to.include({ status: 'disabled', deletedAt: null });
      expect((await send(app, 'GET', `/v1/files/${keptFile}`, { token: adminToken })).status).to.equal(200);
    });

    it('purges a user deleted by an admin, and the new account on that email is a stranger to the old one', async () => {
      const user = await admin.create();
      const old = await signIn(app, user.email, user.password);
      expectAccepted(await send(app, 'POST', '/v1/auth/password/forgot', { json: { email: user.email } }));
      const { token: resetToken } = await app.mailbox.link(user.email, 'reset-password');
      await admin.softDelete(user.id);
      await until(async () => (await admin.get(user.id)).status === 404, { everyMs: 200, withinMs: PURGE_WITHIN_MS });
      expectProblem(await admin.get(user.id), 404, 'USER.NOT_FOUND');
      const again = await admin.create({ email: user.email, password: 'another password 2' });
      expectProblem(await loginAnswer(app, user.email, user.password), 401, 'AUTH.INVALID_CREDENTIALS');
      const { accessToken } = await signIn(app, user.email, 'another password 2');
      expect((await send(app, 'GET', '/v1/files', { token: accessToken })).body.items).to.deep.equal([]);
      expect(again.id).not.to.equal(user.id);
      // Nothing of the old account reaches the new one: not its sessions, not its reset link.
      expectBearerRefused(await send(app, 'GET', '/v1/auth/me', { token: old.accessToken }));
      const refresh = await send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: old.refreshToken } });
      expect(refresh.status, refresh.text).to.equal(401);
      const reset = await send(app, 'POST', '/v1/auth/password/reset', {
        json: { token: resetToken, newPassword: 'taken over password' },
      });
      expectProblem(reset, 400, 'AUTH.TOKEN_INVALID');
      await signIn(app, user.email, 'another password 2');
    });
  });
}
