import { expect } from 'chai';
import { aCore, registration } from '../../../support/core.js';
import { rejectionOf } from '../../../support/rejection.js';

type Core = Awaited<ReturnType<typeof aCore>>;

const HOUR = 3_600_000;
const VERIFY_TTL_MS = 24 * HOUR;

/** The letters queued since the last look; each is read once, however far the clock moves. */
async function letters(core: Core) {
  const claimed = await core.mailQueue.claim({ now: core.clock.now(), limit: 100, claimTtlMs: 1e12, owner: 't' });
  return claimed.map((c) => c.message);
}

/** The token of the `kind` link in the one letter to `to` among `mail`. */
function linkToken(mail: { to: string; text: string }[], to: string, kind: string): string {
  const mine = mail.filter((m) => m.to === to);
  expect(mine, `letters to ${to}`).to.have.length(1);
  const match = new RegExp(`^https://app\\.example\\.com/${kind}\\?token=(\\S+)$`, 'm').exec(mine[0]!.text);
  expect(match, `a ${kind} link`).to.not.equal(null);
  return decodeURIComponent(match![1]!);
}

/** A core with alice registered (unverified) and the token of the verification link she was mailed. */
async function aliceWithLink(env: Record<string, string> = {}) {
  const core = await aCore(env);
  const alice = await core.register.execute(registration('alice'));
  const token = linkToken(await letters(core), alice.email, 'verify-email');
  return { core, alice, token };
}

const codeOf = (promise: Promise<unknown>) => rejectionOf(promise).then((e) => e.code);

describe('email verification', () => {
  it('registration mails a verification link to the new address; following it verifies the address', async () => {
    const { core, alice, token } = await aliceWithLink();
    expect(token).to.match(/^ve_/);
    expect((await core.users.findById(alice.id))?.emailVerifiedAt).to.equal(null);
    core.clock.advance(1000);
    await core.verifyEmail.execute({ token });
    expect((await core.users.findById(alice.id))?.emailVerifiedAt).to.deep.equal(core.clock.now());
  });

  it('still works 1 ms before 24 hours', async () => {
    const { core, alice, token } = await aliceWithLink();
    core.clock.advance(VERIFY_TTL_MS - 1);
    await core.verifyEmail.execute({ token });
    expect((await core.users.findById(alice.id))?.emailVerifiedAt).to.not.equal(null);
  });

  it('is refused exactly at 24 hours and just after, and verifies nothing', async () => {
    const { core, alice, token } = await aliceWithLink();
    core.clock.advance(VERIFY_TTL_MS);
    expect(await codeOf(core.verifyEmail.execute({ token }))).to.equal('AUTH.TOKEN_INVALID');
    core.clock.advance(1);
    expect(await codeOf(core.verifyEmail.execute({ token }))).to.equal('AUTH.TOKEN_INVALID');
    expect((await core.users.findById(alice.id))?.emailVerifiedAt).to.equal(null);
  });

  it('follows EMAIL_VERIFY_TTL_S', async () => {
    const { core, token } = await aliceWithLink({ EMAIL_VERIFY_TTL_S: '600' });
    core.clock.advance(600_000);
    expect(await codeOf(core.verifyEmail.execute({ token }))).to.equal('AUTH.TOKEN_INVALID');
  });

  it('works once: the same link a second time is refused', async () => {
    const { core, token } = await aliceWithLink();
    await core.verifyEmail.execute({ token });
    expect(await codeOf(core.verifyEmail.execute({ token }))).to.equal('AUTH.TOKEN_INVALID');
  });

  it('refuses an unknown token and a token of another kind, which stays usable for its own purpose', async () => {
    const { core, alice, token } = await aliceWithLink();
    expect(await codeOf(core.verifyEmail.execute({ token: 've_nothing' }))).to.equal('AUTH.TOKEN_INVALID');
    const asReset = core.resetPassword.execute({ token, newPassword: 'a brand new password' });
    expect(await codeOf(asReset)).to.equal('AUTH.TOKEN_INVALID');
    expect((await core.users.findById(alice.id))?.passwordHash).to.equal('hashed(correct horse battery)');
    await core.forgotPassword.execute({ email: alice.email });
    const reset = linkToken(await letters(core), alice.email, 'reset-password');
    expect(await codeOf(core.verifyEmail.execute({ token: reset }))).to.equal('AUTH.TOKEN_INVALID');
    expect((await core.users.findById(alice.id))?.emailVerifiedAt).to.equal(null);
    await core.verifyEmail.execute({ token });
    expect((await core.users.findById(alice.id))?.emailVerifiedAt).to.not.equal(null);
  });

  it("a user's link verifies that user only", async () => {
    const { core, alice, token } = await aliceWithLink();
    const bob = await core.register.execute(registration('bob'));
    await core.verifyEmail.execute({ token });
    expect((await core.users.findById(alice.id))?.emailVerifiedAt).to.not.equal(null);
    expect((await core.users.findById(bob.id))?.emailVerifiedAt).to.equal(null);
  });

  it('a link for an address the account no longer has verifies nothing', async () => {
    const { core, alice, token } = await aliceWithLink();
    const root = await core.register.execute(registration('root', { role: 'admin' }));
    await core.patchUser.execute({
      actor: { id: root.id, role: 'admin' },
      id: alice.id,
      patch: { email: 'alice.new@example.com' },
    });
    expect(await codeOf(core.verifyEmail.execute({ token }))).to.equal('AUTH.TOKEN_INVALID');
    expect((await core.users.findById(alice.id))?.emailVerifiedAt).to.equal(null);
  });

  it('a link of a deleted account is refused', async () => {
    const { core, alice, token } = await aliceWithLink();
    await core.deleteUser.execute({ actor: { id: alice.id, role: 'user' }, id: alice.id });
    expect(await codeOf(core.verifyEmail.execute({ token }))).to.equal('AUTH.TOKEN_INVALID');
  });

  describe('ResendVerification', () => {
    it('mails a new link to an unverified account, typed in any case; both links work', async () => {
      const { core, alice, token } = await aliceWithLink();
      await core.resendVerification.execute({ email: ' UserAlice@Example.com ' });
      const again = linkToken(await letters(core), alice.email, 'verify-email');
      expect(again).to.not.equal(token);
      await core.verifyEmail.execute({ token: again });
      await core.verifyEmail.execute({ token });
    });

    it('mails nothing, and answers the same, for an unknown address and for a verified one', async () => {
      const { core, token } = await aliceWithLink();
      await core.verifyEmail.execute({ token });
      expect(await core.resendVerification.execute({ email: 'nobody@example.com' })).to.equal(undefined);
      expect(await core.resendVerification.execute({ email: 'useralice@example.com' })).to.equal(undefined);
      expect(await letters(core)).to.deep.equal([]);
    });

    it('is throttled per address after ACCOUNT_MAIL_MAX_PER_ADDRESS requests, known or not', async () => {
      const { core, alice } = await aliceWithLink({ ACCOUNT_MAIL_MAX_PER_ADDRESS: '2' });
      for (const email of [alice.email, 'nobody@example.com']) {
        await core.resendVerification.execute({ email, client: '10.0.0.1' });
        await core.resendVerification.execute({ email: email.toUpperCase(), client: '10.0.0.2' });
        const err = await rejectionOf(core.resendVerification.execute({ email, client: '10.0.0.3' }));
        expect(err.code).to.equal('AUTH.THROTTLED');
        expect((err as { retryAfterSeconds?: number }).retryAfterSeconds).to.be.within(1, 3600);
      }
      expect((await letters(core)).filter((m) => m.to === alice.email)).to.have.length(2);
    });

    it('is throttled per client after ACCOUNT_MAIL_MAX_PER_CLIENT requests, whatever the address', async () => {
      const { core } = await aliceWithLink({ ACCOUNT_MAIL_MAX_PER_CLIENT: '2' });
      await core.resendVerification.execute({ email: 'a@example.com', client: '10.0.0.9' });
      await core.resendVerification.execute({ email: 'b@example.com', client: '10.0.0.9' });
      const err = await rejectionOf(core.resendVerification.execute({ email: 'c@example.com', client: '10.0.0.9' }));
      expect(err.code).to.equal('AUTH.THROTTLED');
      await core.resendVerification.execute({ email: 'c@example.com', client: '10.0.0.10' });
    });
  });
});
