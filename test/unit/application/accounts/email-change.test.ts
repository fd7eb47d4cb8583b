import { expect } from 'chai';
import type { Actor } from '../../../../src/domain/user/user.js';
import { aCore, registration } from '../../../support/core.js';
import { rejectionOf } from '../../../support/rejection.js';

type Core = Awaited<ReturnType<typeof aCore>>;

const CHANGE_TTL_MS = 24 * 3_600_000;
const PASSWORD = 'correct horse battery';
const NEW = 'alice.new@example.com';

async function letters(core: Core) {
  const claimed = await core.mailQueue.claim({ now: core.clock.now(), limit: 100, claimTtlMs: 1e12, owner: 't' });
  return claimed.map((c) => c.message);
}

function linkToken(mail: { to: string; text: string }[], to: string, kind: string): string {
  const mine = mail.filter((m) => m.to === to && m.text.includes(`/${kind}?`));
  expect(mine, `${kind} letters to ${to}`).to.have.length(1);
  const match = new RegExp(`^https://app\\.example\\.com/${kind}\\?token=(\\S+)$`, 'm').exec(mine[0]!.text);
  return decodeURIComponent(match![1]!);
}

async function world(env: Record<string, string> = {}) {
  const core = await aCore(env);
  const alice = await core.register.execute(registration('alice'));
  const bob = await core.register.execute(registration('bob'));
  const root = await core.register.execute(registration('root', { role: 'admin' }));
  const verify = linkToken(await letters(core), alice.email, 'verify-email');
  const as = (u: { id: string; role: Actor['role'] }): Actor => ({ id: u.id, role: u.role });
  return { core, alice, bob, root, as, verify };
}

/** Alice asks for NEW herself; returns the world and the token of the confirmation link. */
async function pendingChange(env: Record<string, string> = {}) {
  const w = await world(env);
  await w.core.patchUser.execute({ actor: w.as(w.alice), id: w.alice.id, patch: { email: NEW } });
  const token = linkToken(await letters(w.core), NEW, 'confirm-email');
  return { ...w, token };
}

const codeOf = (promise: Promise<unknown>) => rejectionOf(promise).then((e) => e.code);

describe('email change', () => {
  it('asked for by the user: the email stays, a link goes to the new address and a notice to the old', async () => {
    const { core, alice, as } = await world();
    const answered = await core.patchUser.execute({
      actor: as(alice),
      id: alice.id,
      patch: { email: 'Alice.New@Example.com' },
    });
    expect(answered.email).to.equal(alice.email);
    expect((await core.users.findById(alice.id))?.email).to.equal(alice.email);
    const mail = await letters(core);
    expect(mail.map((m) => m.to).sort()).to.deep.equal([NEW, alice.email].sort());
    expect(linkToken(mail, NEW, 'confirm-email')).to.match(/^ec_/);
    const notice = mail.find((m) => m.to === alice.email)!;
    expect(notice.text).to.include(NEW);
    expect(notice.text).to.not.include('token=');
  });

  it('following the link sets the email, verified, and the new address signs in', async () => {
    const { core, alice, token } = await pendingChange();
    core.clock.advance(1000);
    await core.confirmEmailChange.execute({ token });
    const stored = await core.users.findById(alice.id);
    expect(stored?.email).to.equal(NEW);
    expect(stored?.emailVerifiedAt).to.deep.equal(core.clock.now());
    expect((await core.login.execute({ email: NEW, password: PASSWORD })).user.id).to.equal(alice.id);
    expect(await codeOf(core.login.execute({ email: alice.email, password: PASSWORD }))).to.equal(
      'AUTH.INVALID_CREDENTIALS',
    );
  });

  it('still works 1 ms before 24 hours', async () => {
    const { core, alice, token } = await pendingChange();
    core.clock.advance(CHANGE_TTL_MS - 1);
    await core.confirmEmailChange.execute({ token });
    expect((await core.users.findById(alice.id))?.email).to.equal(NEW);
  });

  it('is refused exactly at 24 hours and just after, and changes nothing', async () => {
    const { core, alice, token } = await pendingChange();
    core.clock.advance(CHANGE_TTL_MS);
    expect(await codeOf(core.confirmEmailChange.execute({ token }))).to.equal('AUTH.TOKEN_INVALID');
    core.clock.advance(1);
    expect(await codeOf(core.confirmEmailChange.execute({ token }))).to.equal('AUTH.TOKEN_INVALID');
    expect((await core.users.findById(alice.id))?.email).to.equal(alice.email);
  });

  it('works once', async () => {
    const { core, token } = await pendingChange();
    await core.confirmEmailChange.execute({ token });
    expect(await codeOf(core.confirmEmailChange.execute({ token }))).to.equal('AUTH.TOKEN_INVALID');
  });

  it('refuses a link of another kind, and is refused by the other kinds', async () => {
    const { core, alice, token, verify } = await pendingChange();
    expect(await codeOf(core.confirmEmailChange.execute({ token: verify }))).to.equal('AUTH.TOKEN_INVALID');
    expect(await codeOf(core.verifyEmail.execute({ token }))).to.equal('AUTH.TOKEN_INVALID');
    expect(await codeOf(core.resetPassword.execute({ token, newPassword: 'a brand new password' }))).to.equal(
      'AUTH.TOKEN_INVALID',
    );
    expect((await core.users.findById(alice.id))?.email).to.equal(alice.email);
    await core.confirmEmailChange.execute({ token });
  });

  it("kills the links still out for the old address and the user's other pending changes", async () => {
    const { core, alice, as, token, verify } = await pendingChange();
    await core.forgotPassword.execute({ email: alice.email });
    const reset = linkToken(await letters(core), alice.email, 'reset-password');
    await core.patchUser.execute({ actor: as(alice), id: alice.id, patch: { email: 'other@example.com' } });
    const other = linkToken(await letters(core), 'other@example.com', 'confirm-email');
    await core.confirmEmailChange.execute({ token });
    expect(await codeOf(core.verifyEmail.execute({ token: verify }))).to.equal('AUTH.TOKEN_INVALID');
    expect(await codeOf(core.resetPassword.execute({ token: reset, newPassword: 'a brand new password' }))).to.equal(
      'AUTH.TOKEN_INVALID',
    );
    expect(await codeOf(core.confirmEmailChange.execute({ token: other }))).to.equal('AUTH.TOKEN_INVALID');
    expect((await core.users.findById(alice.id))?.email).to.equal(NEW);
  });

  it("changes only that user's email", async () => {
    const { core, bob, token } = await pendingChange();
    await core.confirmEmailChange.execute({ token });
    expect((await core.users.findById(bob.id))?.email).to.equal(bob.email);
  });

  it('refuses an address that is taken at the time of asking', async () => {
    const { core, alice, bob, as } = await world();
    const asked = core.patchUser.execute({ actor: as(alice), id: alice.id, patch: { email: bob.email } });
    expect(await codeOf(asked)).to.equal('USER.EMAIL_TAKEN');
    expect(await letters(core)).to.deep.equal([]);
  });

  it('refuses an address taken meanwhile (USER.EMAIL_TAKEN), soft-deleted or not; the link works once the other account is gone for good', async () => {
    const { core, alice, token } = await pendingChange();
    const carol = await core.register.execute(registration('carol', { email: NEW }));
    expect(await codeOf(core.confirmEmailChange.execute({ token }))).to.equal('USER.EMAIL_TAKEN');
    expect((await core.users.findById(alice.id))?.email).to.equal(alice.email);
    // A soft-deleted user keeps the address until the purge (they may be restored).
    await core.deleteUser.execute({ actor: { id: carol.id, role: 'user' }, id: carol.id });
    expect(await codeOf(core.confirmEmailChange.execute({ token }))).to.equal('USER.EMAIL_TAKEN');
    expect((await core.users.findById(alice.id))?.email).to.equal(alice.email);
    // What the purge does once the restore window has ended.
    const deleted = await core.users.findById(carol.id, { withDeleted: true });
    expect(await core.users.delete(carol.id, deleted!.version)).to.equal(true);
    await core.confirmEmailChange.execute({ token });
    expect((await core.users.findById(alice.id))?.email).to.equal(NEW);
  });

  it('set by an admin: the email changes at once, unverified, with a verification link to it and no confirmation', async () => {
    const { core, alice, root, as } = await world();
    const changed = await core.patchUser.execute({ actor: as(root), id: alice.id, patch: { email: NEW } });
    expect(changed).to.include({ email: NEW, emailVerifiedAt: null });
    const mail = await letters(core);
    expect(mail.map((m) => m.to)).to.deep.equal([NEW]);
    const verify = linkToken(mail, NEW, 'verify-email');
    await core.verifyEmail.execute({ token: verify });
    expect((await core.users.findById(alice.id))?.emailVerifiedAt).to.not.equal(null);
  });

  it('set by an admin over a verified address: the new one is unverified', async () => {
    const { core, alice, root, as, verify } = await world();
    await core.verifyEmail.execute({ token: verify });
    await core.patchUser.execute({ actor: as(root), id: alice.id, patch: { email: NEW } });
    expect((await core.users.findById(alice.id))?.emailVerifiedAt).to.equal(null);
  });

  // The notice to the old address says "If it was not you, change your password now." Doing so
  // must stop the change, or someone holding a session takes the account over with the link they
  // had mailed to themselves.
  it('a password change (the advice in the notice) kills the pending email change', async () => {
    const { core, alice, token } = await pendingChange();
    await core.changePassword.execute({
      actor: { id: alice.id, role: 'user' },
      id: alice.id,
      currentPassword: PASSWORD,
      newPassword: 'a brand new password',
    });
    const confirmed = await core.confirmEmailChange.execute({ token }).then(
      () => 'confirmed',
      (error: { code?: string }) => error.code,
    );
    expect(confirmed).to.equal('AUTH.TOKEN_INVALID');
    expect((await core.users.findById(alice.id))?.email).to.equal(alice.email);
  });

  it('a password reset kills the pending email change', async () => {
    const { core, alice, token } = await pendingChange();
    await core.forgotPassword.execute({ email: alice.email });
    const reset = linkToken(await letters(core), alice.email, 'reset-password');
    await core.resetPassword.execute({ token: reset, newPassword: 'a brand new password' });
    const confirmed = await core.confirmEmailChange.execute({ token }).then(
      () => 'confirmed',
      (error: { code?: string }) => error.code,
    );
    expect(confirmed).to.equal('AUTH.TOKEN_INVALID');
    expect((await core.users.findById(alice.id))?.email).to.equal(alice.email);
  });
});
