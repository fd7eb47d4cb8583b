import { expect } from 'chai';
import { generate } from 'otplib';
import { aCore, registration } from '../../../support/core.js';
import { rejectionOf } from '../../../support/rejection.js';

type Core = Awaited<ReturnType<typeof aCore>>;

const RESET_TTL_MS = 30 * 60_000;
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new password';

async function letters(core: Core) {
  const claimed = await core.mailQueue.claim({ now: core.clock.now(), limit: 100, claimTtlMs: 1e12, owner: 't' });
  return claimed.map((c) => c.message);
}

function linkToken(mail: { to: string; text: string }[], to: string, kind: string): string {
  const mine = mail.filter((m) => m.to === to);
  expect(mine, `letters to ${to}`).to.have.length(1);
  const match = new RegExp(`^https://app\\.example\\.com/${kind}\\?token=(\\S+)$`, 'm').exec(mine[0]!.text);
  expect(match, `a ${kind} link`).to.not.equal(null);
  return decodeURIComponent(match![1]!);
}

/** Asks for a reset link for `email` and returns its token. */
async function resetLink(core: Core, email: string): Promise<string> {
  await core.forgotPassword.execute({ email });
  return linkToken(await letters(core), email, 'reset-password');
}

async function world(env: Record<string, string> = {}) {
  const core = await aCore(env);
  const alice = await core.register.execute(registration('alice'));
  const bob = await core.register.execute(registration('bob'));
  await letters(core);
  return { core, alice, bob };
}

const codeOf = (promise: Promise<unknown>) => rejectionOf(promise).then((e) => e.code);
const canLogin = (core: Core, email: string, password: string) =>
  core.login.execute({ email, password }).then(
    () => true,
    () => false,
  );

describe('password reset', () => {
  it('ForgotPassword mails a reset link to the account; ResetPassword sets the new password', async () => {
    const { core, alice } = await world();
    await core.forgotPassword.execute({ email: ' UserAlice@Example.com' });
    const token = linkToken(await letters(core), alice.email, 'reset-password');
    expect(token).to.match(/^pr_/);
    await core.resetPassword.execute({ token, newPassword: NEW_PASSWORD });
    expect(await canLogin(core, alice.email, NEW_PASSWORD)).to.equal(true);
    expect(await canLogin(core, alice.email, PASSWORD)).to.equal(false);
  });

  it('still works 1 ms before 30 minutes', async () => {
    const { core, alice } = await world();
    const token = await resetLink(core, alice.email);
    core.clock.advance(RESET_TTL_MS - 1);
    await core.resetPassword.execute({ token, newPassword: NEW_PASSWORD });
    expect(await canLogin(core, alice.email, NEW_PASSWORD)).to.equal(true);
  });

  it('is refused exactly at 30 minutes and just after, and changes nothing', async () => {
    const { core, alice } = await world();
    const token = await resetLink(core, alice.email);
    core.clock.advance(RESET_TTL_MS);
    expect(await codeOf(core.resetPassword.execute({ token, newPassword: NEW_PASSWORD }))).to.equal(
      'AUTH.TOKEN_INVALID',
    );
    core.clock.advance(1);
    expect(await codeOf(core.resetPassword.execute({ token, newPassword: NEW_PASSWORD }))).to.equal(
      'AUTH.TOKEN_INVALID',
    );
    expect(await canLogin(core, alice.email, PASSWORD)).to.equal(true);
  });

  it('works once', async () => {
    const { core, alice } = await world();
    const token = await resetLink(core, alice.email);
    await core.resetPassword.execute({ token, newPassword: NEW_PASSWORD });
    const again = core.resetPassword.execute({ token, newPassword: 'yet another password' });
    expect(await codeOf(again)).to.equal('AUTH.TOKEN_INVALID');
    expect(await canLogin(core, alice.email, NEW_PASSWORD)).to.equal(true);
  });

  it('refuses a password the rules refuse and leaves the link usable', async () => {
    const { core, alice } = await world();
    const token = await resetLink(core, alice.email);
    expect(await codeOf(core.resetPassword.execute({ token, newPassword: 'short' }))).to.equal('REQUEST.INVALID');
    await core.resetPassword.execute({ token, newPassword: NEW_PASSWORD });
  });

  it('refuses a verification token and an unknown one', async () => {
    const core = await aCore();
    const alice = await core.register.execute(registration('alice'));
    const verify = linkToken(await letters(core), alice.email, 'verify-email');
    expect(await codeOf(core.resetPassword.execute({ token: verify, newPassword: NEW_PASSWORD }))).to.equal(
      'AUTH.TOKEN_INVALID',
    );
    expect(await codeOf(core.resetPassword.execute({ token: 'pr_unknown', newPassword: NEW_PASSWORD }))).to.equal(
      'AUTH.TOKEN_INVALID',
    );
    expect(await canLogin(core, alice.email, PASSWORD)).to.equal(true);
  });

  it("one user's link changes nothing of another user", async () => {
    const { core, alice, bob } = await world();
    const bobSession = await core.login.execute({ email: bob.email, password: PASSWORD });
    const token = await resetLink(core, alice.email);
    await core.resetPassword.execute({ token, newPassword: NEW_PASSWORD });
    expect(await canLogin(core, bob.email, PASSWORD)).to.equal(true);
    expect(await canLogin(core, bob.email, NEW_PASSWORD)).to.equal(false);
    await core.refresh.execute({ refreshToken: bobSession.refreshToken });
    expect((await core.users.findById(bob.id))?.emailVerifiedAt).to.equal(null);
  });

  it('ends every session of the user', async () => {
    const { core, alice } = await world();
    const one = await core.login.execute({ email: alice.email, password: PASSWORD });
    const two = await core.login.execute({ email: alice.email, password: PASSWORD });
    await core.resetPassword.execute({ token: await resetLink(core, alice.email), newPassword: NEW_PASSWORD });
    for (const session of [one, two]) {
      const refreshed = core.refresh.execute({ refreshToken: session.refreshToken });
      expect(await codeOf(refreshed)).to.equal('AUTH.INVALID_REFRESH_TOKEN');
    }
  });

  it('kills the other reset links of the user', async () => {
    const { core, alice } = await world();
    const first = await resetLink(core, alice.email);
    const second = await resetLink(core, alice.email);
    await core.resetPassword.execute({ token: second, newPassword: NEW_PASSWORD });
    const late = core.resetPassword.execute({ token: first, newPassword: 'yet another password' });
    expect(await codeOf(late)).to.equal('AUTH.TOKEN_INVALID');
  });

  it('kills a pending MFA challenge of the user', async () => {
    const { core, alice } = await world();
    const actor = { id: alice.id, role: 'user' as const };
    const { secret } = await core.startTotp.execute({ actor });
    const epoch = () => Math.floor(core.clock.now().getTime() / 1000);
    await core.confirmTotp.execute({ actor, code: await generate({ secret, epoch: epoch() }) });
    const mfa = await rejectionOf(core.login.execute({ email: alice.email, password: PASSWORD }));
    const challenge = (mfa as { extensions?: { challenge: string } }).extensions!.challenge;
    await core.resetPassword.execute({ token: await resetLink(core, alice.email), newPassword: NEW_PASSWORD });
    core.clock.advance(30_000);
    const code = await generate({ secret, epoch: epoch() });
    expect(await codeOf(core.verifyMfa.execute({ challenge, code }))).to.equal('AUTH.MFA_INVALID');
  });

  it('marks the email verified, since the link was mailed to it', async () => {
    const { core, alice } = await world();
    const token = await resetLink(core, alice.email);
    core.clock.advance(5_000);
    await core.resetPassword.execute({ token, newPassword: NEW_PASSWORD });
    expect((await core.users.findById(alice.id))?.emailVerifiedAt).to.deep.equal(core.clock.now());
  });

  it('a link for an address the account no longer has does nothing', async () => {
    const { core, alice } = await world();
    const root = await core.register.execute(registration('root', { role: 'admin' }));
    const token = await resetLink(core, alice.email);
    await core.patchUser.execute({
      actor: { id: root.id, role: 'admin' },
      id: alice.id,
      patch: { email: 'alice.new@example.com' },
    });
    expect(await codeOf(core.resetPassword.execute({ token, newPassword: NEW_PASSWORD }))).to.equal(
      'AUTH.TOKEN_INVALID',
    );
    expect(await canLogin(core, 'alice.new@example.com', PASSWORD)).to.equal(true);
  });

  it('ChangePassword kills the reset links still out', async () => {
    const { core, alice } = await world();
    const token = await resetLink(core, alice.email);
    await core.changePassword.execute({
      actor: { id: alice.id, role: 'user' },
      id: alice.id,
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    const late = core.resetPassword.execute({ token, newPassword: 'yet another password' });
    expect(await codeOf(late)).to.equal('AUTH.TOKEN_INVALID');
    expect(await canLogin(core, alice.email, NEW_PASSWORD)).to.equal(true);
  });

  describe('ForgotPassword', () => {
    it('mails nothing and answers the same for an unknown address', async () => {
      const { core } = await world();
      expect(await core.forgotPassword.execute({ email: 'nobody@example.com' })).to.equal(undefined);
      expect(await letters(core)).to.deep.equal([]);
    });

    it('mails a verified account too (a reset is not a verification)', async () => {
      const { core, alice } = await world();
      await core.resetPassword.execute({ token: await resetLink(core, alice.email), newPassword: NEW_PASSWORD });
      expect(await resetLink(core, alice.email)).to.match(/^pr_/);
    });

    it('is throttled per address after ACCOUNT_MAIL_MAX_PER_ADDRESS requests, with a retry delay', async () => {
      const { core, alice, bob } = await world({ ACCOUNT_MAIL_MAX_PER_ADDRESS: '3' });
      for (let i = 0; i < 3; i++) await core.forgotPassword.execute({ email: alice.email, client: `10.0.0.${i}` });
      const err = await rejectionOf(
        core.forgotPassword.execute({ email: ' USERALICE@example.com', client: '10.1.1.1' }),
      );
      expect(err.code).to.equal('AUTH.THROTTLED');
      expect((err as { retryAfterSeconds?: number }).retryAfterSeconds).to.be.within(1, 3600);
      expect((await letters(core)).filter((m) => m.to === alice.email)).to.have.length(3);
      await core.forgotPassword.execute({ email: bob.email, client: '10.1.1.1' });
    });

    it('counts an unknown address like a known one', async () => {
      const { core } = await world({ ACCOUNT_MAIL_MAX_PER_ADDRESS: '1' });
      await core.forgotPassword.execute({ email: 'nobody@example.com' });
      expect(await codeOf(core.forgotPassword.execute({ email: 'nobody@example.com' }))).to.equal('AUTH.THROTTLED');
    });

    it('shares the per-address count with ResendVerification', async () => {
      const { core, alice } = await world({ ACCOUNT_MAIL_MAX_PER_ADDRESS: '2' });
      await core.forgotPassword.execute({ email: alice.email });
      await core.resendVerification.execute({ email: alice.email });
      expect(await codeOf(core.forgotPassword.execute({ email: alice.email }))).to.equal('AUTH.THROTTLED');
      expect(await codeOf(core.resendVerification.execute({ email: alice.email }))).to.equal('AUTH.THROTTLED');
    });
  });
});
