import { expect } from 'chai';
import {
  SEND_INTERVAL_MS,
  expectAccepted,
  loginAnswer,
  register,
  signIn,
  useAccountsApp,
} from '../../support/accounts-app.js';
import { expectProblem, login, newAccount, send } from '../../support/http-client.js';
import { anAccountWithTotp, challenge, verify } from '../../support/mfa.js';
import { PORTICO_ADMIN } from '../../support/portico.js';
import { ISO, USER_BACKENDS, adminOf, expectBearerRefused, refusalOf } from '../../support/users-admin.js';

for (const backend of USER_BACKENDS) {
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
  });
}
