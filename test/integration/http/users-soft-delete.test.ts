import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import {
  SEND_INTERVAL_MS,
  expectAccepted,
  loginAnswer,
  register,
  signIn,
  useAccountsApp,
} from '../../support/accounts-app.js';
import { MEMORY_BACKEND, SQL_BACKENDS, usePortico } from '../../support/backends.js';
import { expectProblem, login, newAccount, send, type Answer } from '../../support/http-client.js';
import { anAccountWithTotp, challenge, verify } from '../../support/mfa.js';
import { MONGO_BACKEND } from '../../support/mongo.js';
import { PORTICO_ADMIN } from '../../support/portico.js';
import { expectEveryPairDead } from '../../support/session-race.js';
import { until } from '../../support/until.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const DAY_MS = 24 * 60 * 60 * 1000;
const MISSING_ID = '01900000-0000-7000-8000-000000000000';
/** How long a purge may take with USER_PURGE_INTERVAL_SECONDS=1. */
const PURGE_WITHIN_MS = 15_000;

type App = { url: string };

/** What a login refusal says, without the parts that differ from one request to the next. */
const refusalOf = (res: Answer) => {
  const { requestId: _requestId, ...rest } = res.body;
  return rest;
};

function expectBearerRefused(res: Answer): void {
  expect(res.status, res.text).to.equal(401);
  expect(res.headers.get('www-authenticate'), 'WWW-Authenticate').to.match(/^Bearer\b/);
}

/** Admin helpers over one running app: create, delete, restore, read and list users. */
function adminOf(app: App, token: () => string) {
  return {
    async create(extra: object = {}) {
      const account = newAccount(extra);
      const res = await send(app, 'POST', '/v1/users', { token: token(), json: account });
      expect(res.status, res.text).to.equal(201);
      return { ...account, id: res.body.user.id as string };
    },
    remove: (id: string, as = token()) => send(app, 'DELETE', `/v1/users/${id}`, { token: as }),
    async softDelete(id: string, as = token()) {
      const res = await send(app, 'DELETE', `/v1/users/${id}`, { token: as });
      expect(res.status, res.text).to.equal(204);
      expect(res.text).to.equal('');
    },
    restore: (id: string, as = token()) => send(app, 'POST', `/v1/users/${id}/restore`, { token: as }),
    get: (id: string) => send(app, 'GET', `/v1/users/${id}`, { token: token() }),
    async listIds(query: Record<string, string>) {
      const res = await send(app, 'GET', `/v1/users?${new URLSearchParams({ limit: '100', ...query }).toString()}`, {
        token: token(),
      });
      expect(res.status, res.text).to.equal(200);
      return (res.body.items as { id: string }[]).map((u) => u.id);
    },
  };
}

for (const backend of [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`HTTP users on ${backend.name}: soft delete and restore`, function () {
    const app = useAccountsApp(backend);
    let adminToken: string;
    const admin = adminOf(app, () => adminToken);

    before(async () => {
      adminToken = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
    });

    it("soft-deletes on the owner's DELETE: 204, and every token of theirs stops working", async () => {
      const user = await admin.create();
      const first = await signIn(app, user.email, user.password);
      const second = await signIn(app, user.email, user.password);
      await admin.softDelete(user.id, first.accessToken);
      for (const session of [first, second]) {
        expectBearerRefused(await send(app, 'GET', '/v1/auth/me', { token: session.accessToken }));
        expectBearerRefused(await send(app, 'GET', `/v1/users/${user.id}`, { token: session.accessToken }));
        const refresh = await send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: session.refreshToken } });
        expect(refresh.status, refresh.text).to.equal(401);
      }
    });

    it('answers the login of a deleted user exactly as that of an unknown email', async () => {
      const user = await admin.create();
      await admin.softDelete(user.id);
      const right = await loginAnswer(app, user.email, user.password);
      const wrong = await loginAnswer(app, user.email, 'not the password at all');
      const unknown = await loginAnswer(app, newAccount().email, user.password);
      for (const res of [right, wrong, unknown]) expectProblem(res, 401, 'AUTH.INVALID_CREDENTIALS');
      expect(refusalOf(right)).to.deep.equal(refusalOf(unknown));
      expect(refusalOf(wrong)).to.deep.equal(refusalOf(unknown));
    });

    it('refuses the verification and email-change links of a deleted user, and changes nothing', async () => {
      const user = await register(app);
      const verifyLink = await app.mailbox.link(user.email, 'verify-email');
      const { accessToken } = await signIn(app, user.email, user.password);
      const next = newAccount().email;
      const asked = await send(app, 'PATCH', `/v1/users/${user.id}`, { token: accessToken, json: { email: next } });
      expect(asked.status, asked.text).to.equal(200);
      const confirmLink = await app.mailbox.link(next, 'confirm-email');
      await admin.softDelete(user.id, accessToken);

      const verified = await send(app, 'POST', '/v1/auth/email/verify', { json: { token: verifyLink.token } });
      expectProblem(verified, 400, 'AUTH.TOKEN_INVALID');
      const confirmed = await send(app, 'POST', '/v1/auth/email/confirm', { json: { token: confirmLink.token } });
      expectProblem(confirmed, 400, 'AUTH.TOKEN_INVALID');
      const seen = (await admin.get(user.id)).body.user;
      expect(seen).to.include({ email: user.email, emailVerifiedAt: null });
      // The address the deleted user asked for is still free for anyone else.
      const other = await send(app, 'POST', '/v1/auth/register', { json: { ...newAccount(), email: next } });
      expect(other.status, other.text).to.equal(201);
    });

    it('gives no tokens for a second-factor challenge issued before the delete', async () => {
      const user = await anAccountWithTotp(app);
      const pending = await challenge(app, user);
      await admin.softDelete(user.id);
      const late = await verify(app, { challenge: pending, recoveryCode: user.recoveryCodes[0] });
      expect(late.status, late.text).to.equal(401);
      expect(late.body).not.to.have.any.keys('accessToken', 'refreshToken');
    });

    it('keeps the email of a deleted user reserved, for registration and for admins', async () => {
      const user = await admin.create();
      await admin.softDelete(user.id);
      const again = { ...newAccount(), email: user.email };
      expectProblem(await send(app, 'POST', '/v1/auth/register', { json: again }), 409, 'USER.EMAIL_TAKEN');
      expectProblem(
        await send(app, 'POST', '/v1/auth/register', { json: { ...again, email: ` ${user.email.toUpperCase()}` } }),
        409,
        'USER.EMAIL_TAKEN',
      );
      expectProblem(await send(app, 'POST', '/v1/users', { token: adminToken, json: again }), 409, 'USER.EMAIL_TAKEN');
      // Nor can a live user move onto it.
      const other = await admin.create();
      const moved = await send(app, 'PATCH', `/v1/users/${other.id}`, {
        token: adminToken,
        json: { email: user.email },
      });
      expectProblem(moved, 409, 'USER.EMAIL_TAKEN');
    });

    it('answers forgot-password for a deleted user with the usual 202 and mails nothing', async () => {
      const control = await register(app);
      await app.mailbox.link(control.email, 'verify-email');
      const user = await register(app);
      await app.mailbox.link(user.email, 'verify-email');
      const { accessToken } = await signIn(app, user.email, user.password);
      await admin.softDelete(user.id, accessToken);
      const before = app.mailbox.lettersTo(user.email).length;

      const live = await send(app, 'POST', '/v1/auth/password/forgot', { json: { email: control.email } });
      const gone = await send(app, 'POST', '/v1/auth/password/forgot', { json: { email: user.email } });
      const unknown = await send(app, 'POST', '/v1/auth/password/forgot', { json: { email: newAccount().email } });
      // Nor a new verification link: the account no longer exists for anyone but admins.
      const resend = await send(app, 'POST', '/v1/auth/email/verify/resend', { json: { email: user.email } });
      for (const res of [live, gone, unknown, resend]) expectAccepted(res);
      expect(gone.text).to.equal(unknown.text);
      // The mail goes out for a live account, so silence for the deleted one means something.
      await app.mailbox.link(control.email, 'reset-password');
      await app.mailbox.expectNoNewLetter(user.email, before, 6 * SEND_INTERVAL_MS);
    });

    it('hides a deleted user from other users and shows it to admins with deletedAt set', async () => {
      const [user, other] = [await admin.create(), await admin.create()];
      const otherSession = await signIn(app, other.email, other.password);
      const startedAt = Date.now();
      await admin.softDelete(user.id);
      expectProblem(
        await send(app, 'GET', `/v1/users/${user.id}`, { token: otherSession.accessToken }),
        404,
        'USER.NOT_FOUND',
      );
      const seen = await admin.get(user.id);
      expect(seen.status, seen.text).to.equal(200);
      expect(seen.body.user).to.include({ id: user.id, email: user.email, status: 'active' });
      expect(seen.body.user.deletedAt).to.match(ISO);
      const deletedAt = Date.parse(seen.body.user.deletedAt as string);
      expect(deletedAt).to.be.within(startedAt - 5_000, Date.now() + 5_000);
    });

    it('leaves a deleted user out of the default list and lists it under ?status=deleted', async () => {
      const [user, live] = [await admin.create(), await admin.create()];
      await admin.softDelete(user.id);
      expect(await admin.listIds({ email: user.email })).to.deep.equal([]);
      expect(await admin.listIds({ email: live.email })).to.deep.equal([live.id]);
      expect(await admin.listIds({ email: user.email, status: 'deleted' })).to.deep.equal([user.id]);
      expect(await admin.listIds({ email: live.email, status: 'deleted' })).to.deep.equal([]);
      const res = await send(app, 'GET', '/v1/users?status=deleted&limit=100', { token: adminToken });
      const items = res.body.items as { id: string; deletedAt: string | null }[];
      expect(items.map((u) => u.id))
        .to.include(user.id)
        .and.not.include(live.id);
      for (const item of items) expect(item.deletedAt, item.id).to.match(ISO);
    });

    it('answers PUT, PATCH and DELETE of a deleted user with 404 USER.NOT_FOUND, also for admins', async () => {
      const user = await admin.create();
      await admin.softDelete(user.id);
      const put = await send(app, 'PUT', `/v1/users/${user.id}`, {
        token: adminToken,
        json: { email: user.email, name: 'Back from the dead', profile: {} },
      });
      expectProblem(put, 404, 'USER.NOT_FOUND');
      for (const json of [{ name: 'Back from the dead' }, { status: 'disabled' }, { status: 'active' }])
        expectProblem(
          await send(app, 'PATCH', `/v1/users/${user.id}`, { token: adminToken, json }),
          404,
          'USER.NOT_FOUND',
        );
      expectProblem(await admin.remove(user.id), 404, 'USER.NOT_FOUND');
      const seen = (await admin.get(user.id)).body.user;
      expect(seen).to.include({ name: user.name, status: 'active' });
      expect(seen.deletedAt).to.match(ISO);
    });

    it("lets an admin delete a user, with the admin's own session untouched", async () => {
      const user = await admin.create();
      const session = await signIn(app, user.email, user.password);
      await admin.softDelete(user.id);
      expectBearerRefused(await send(app, 'GET', '/v1/auth/me', { token: session.accessToken }));
      expect((await send(app, 'GET', '/v1/auth/me', { token: adminToken })).status).to.equal(200);
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

    it('leaves no working session from logins and refreshes that raced the delete, even after restoring', async () => {
      for (let round = 0; round < 5; round++) {
        const user = await admin.create();
        const sessions = await Promise.all([1, 2, 3].map(() => signIn(app, user.email, user.password)));
        const [raced] = await Promise.all([
          Promise.all([
            ...[1, 2, 3, 4].map(() => loginAnswer(app, user.email, user.password)),
            ...sessions.map((s) => send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: s.refreshToken } })),
          ]),
          admin.softDelete(user.id),
        ]);
        for (const res of raced) expect(res.status, res.text).to.be.oneOf([200, 401, 429]);
        expect((await admin.restore(user.id)).status).to.equal(200);
        await expectEveryPairDead(app, sessions, raced, { logins: 4, when: `round ${round}, after restoring` });
      }
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

    it('takes exactly one of three concurrent deletes, and one of three concurrent restores', async () => {
      const codes = (answers: Answer[]) => answers.map((r) => `${r.status} ${r.body.code ?? ''}`.trim()).sort();
      for (let round = 0; round < 3; round++) {
        const user = await admin.create();
        const deletes = await Promise.all([1, 2, 3].map(() => admin.remove(user.id)));
        expect(codes(deletes), `round ${round}`).to.deep.equal(['204', '404 USER.NOT_FOUND', '404 USER.NOT_FOUND']);
        const restores = await Promise.all([1, 2, 3].map(() => admin.restore(user.id)));
        expect(codes(restores), `round ${round}`).to.deep.equal([
          '200',
          '409 USER.NOT_DELETED',
          '409 USER.NOT_DELETED',
        ]);
        expect((await admin.get(user.id)).body.user).to.include({ deletedAt: null, status: 'active' });
      }
    });

    it('ends a disable racing a delete with a deleted user, and never a 5xx', async () => {
      for (let round = 0; round < 3; round++) {
        const user = await admin.create();
        const [patched, deleted] = await Promise.all([
          send(app, 'PATCH', `/v1/users/${user.id}`, { token: adminToken, json: { status: 'disabled' } }),
          admin.remove(user.id),
        ]);
        expect(deleted.status, deleted.text).to.equal(204);
        expect(patched.status, patched.text).to.be.oneOf([200, 404]);
        const seen = (await admin.get(user.id)).body.user;
        expect(seen.deletedAt, `round ${round}: PATCH ${patched.status}, DELETE ${deleted.status}`).to.match(ISO);
        expect(seen.status).to.equal(patched.status === 200 ? 'disabled' : 'active');
      }
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
