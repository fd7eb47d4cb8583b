import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { generate } from 'otplib';
import { normalizeRecoveryCode } from '../../../../src/domain/account/recovery-code.js';
import type { Actor } from '../../../../src/domain/user/user.js';
import { aCore, registration } from '../../../support/core.js';
import { rejectionOf } from '../../../support/rejection.js';

type Core = Awaited<ReturnType<typeof aCore>>;

const PASSWORD = 'correct horse battery';
const STEP_MS = 30_000;
const CHALLENGE_TTL_MS = 5 * 60_000;
const RECOVERY_CODE = /^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/;

/** The code an authenticator app shows for `secret` at the core's time. */
const codeNow = (core: Core, secret: string) =>
  generate({ secret, epoch: Math.floor(core.clock.now().getTime() / 1000) });

/** A code that is not the one for now (nor, but for a one-in-a-million chance, for a step beside it). */
const wrongCode = async (core: Core, secret: string) =>
  String((Number(await codeNow(core, secret)) + 500_000) % 1_000_000).padStart(6, '0');

const codeOf = (promise: Promise<unknown>) => rejectionOf(promise).then((e) => e.code);
const challengeOf = async (promise: Promise<unknown>) => {
  const err = (await rejectionOf(promise)) as Error & { code?: string; extensions?: { challenge?: string } };
  expect(err.code).to.equal('AUTH.MFA_REQUIRED');
  expect(err.extensions?.challenge).to.match(/^mc_/);
  return err.extensions!.challenge!;
};
const amrOf = (token: string) => decodeJwt(token).amr;

async function enrolled(env: Record<string, string> = {}, n: number | string = 'alice') {
  const core = await aCore(env);
  return { core, ...(await enrol(core, n)) };
}

/** Registers a user, turns TOTP on at the current step, and moves to the next step. */
async function enrol(core: Core, n: number | string) {
  const user = await core.register.execute(registration(n));
  const actor: Actor = { id: user.id, role: 'user' };
  const { secret } = await core.startTotp.execute({ actor });
  const { recoveryCodes } = await core.confirmTotp.execute({ actor, code: await codeNow(core, secret) });
  core.clock.advance(STEP_MS);
  const login = () => core.login.execute({ email: user.email, password: PASSWORD });
  return { user, actor, secret, recoveryCodes, login };
}

describe('TOTP two-factor sign-in', () => {
  it('StartTotpEnrolment returns a secret and its otpauth URI, stores it sealed, and is not required yet', async () => {
    const core = await aCore();
    const alice = await core.register.execute(registration('alice'));
    const { secret, otpauthUri } = await core.startTotp.execute({ actor: { id: alice.id, role: 'user' } });
    expect(secret).to.match(/^[A-Z2-7]{32}$/);
    const uri = new URL(otpauthUri);
    expect(uri.protocol).to.equal('otpauth:');
    expect(uri.searchParams.get('secret')).to.equal(secret);
    expect(uri.searchParams.get('issuer')).to.equal('Portico');
    expect(decodeURIComponent(uri.pathname)).to.include(alice.email);
    const stored = await core.users.findById(alice.id);
    expect(stored?.totpSecret).to.be.a('string');
    expect(stored?.totpSecret).to.not.include(secret);
    expect(stored?.totpSecret).to.not.include(secret.toLowerCase());
    expect(stored?.totpEnabledAt).to.equal(null);
    expect((await core.login.execute({ email: alice.email, password: PASSWORD })).user.id).to.equal(alice.id);
  });

  it('starting again before confirming replaces the secret', async () => {
    const core = await aCore();
    const alice = await core.register.execute(registration('alice'));
    const actor: Actor = { id: alice.id, role: 'user' };
    const first = await core.startTotp.execute({ actor });
    const second = await core.startTotp.execute({ actor });
    expect(second.secret).to.not.equal(first.secret);
    const stale = core.confirmTotp.execute({ actor, code: await codeNow(core, first.secret) });
    expect(await codeOf(stale)).to.equal('AUTH.MFA_CODE_INVALID');
    await core.confirmTotp.execute({ actor, code: await codeNow(core, second.secret) });
  });

  it('ConfirmTotpEnrolment refuses a wrong code and leaves TOTP off', async () => {
    const core = await aCore();
    const alice = await core.register.execute(registration('alice'));
    const actor: Actor = { id: alice.id, role: 'user' };
    const { secret } = await core.startTotp.execute({ actor });
    expect(await codeOf(core.confirmTotp.execute({ actor, code: await wrongCode(core, secret) }))).to.equal(
      'AUTH.MFA_CODE_INVALID',
    );
    expect((await core.users.findById(alice.id))?.totpEnabledAt).to.equal(null);
  });

  it('ConfirmTotpEnrolment before any start answers AUTH.MFA_NOT_STARTED', async () => {
    const core = await aCore();
    const alice = await core.register.execute(registration('alice'));
    expect(await codeOf(core.confirmTotp.execute({ actor: { id: alice.id, role: 'user' }, code: '123456' }))).to.equal(
      'AUTH.MFA_NOT_STARTED',
    );
  });

  it('the right code turns TOTP on and yields ten distinct recovery codes; starting again is refused', async () => {
    const { core, user, actor, recoveryCodes } = await enrolled();
    expect(recoveryCodes).to.have.length(10);
    expect(new Set(recoveryCodes).size).to.equal(10);
    for (const code of recoveryCodes) expect(code).to.match(RECOVERY_CODE);
    expect((await core.users.findById(user.id))?.totpEnabledAt).to.not.equal(null);
    expect(await codeOf(core.startTotp.execute({ actor }))).to.equal('AUTH.MFA_ALREADY_ENABLED');
  });

  it('login with the right password answers AUTH.MFA_REQUIRED with a challenge instead of tokens', async () => {
    const { login } = await enrolled();
    await challengeOf(login());
  });

  it('a wrong password still answers AUTH.INVALID_CREDENTIALS, with no challenge', async () => {
    const { core, user } = await enrolled();
    const err = (await rejectionOf(
      core.login.execute({ email: user.email, password: 'not the password' }),
    )) as Error & {
      code?: string;
      extensions?: object;
    };
    expect(err.code).to.equal('AUTH.INVALID_CREDENTIALS');
    expect(err.extensions).to.equal(undefined);
  });

  it("refuses the code already used to confirm (replay), then takes the next step's code: amr is pwd+otp", async () => {
    const core = await aCore();
    const alice = await core.register.execute(registration('alice'));
    const actor: Actor = { id: alice.id, role: 'user' };
    const { secret } = await core.startTotp.execute({ actor });
    const used = await codeNow(core, secret);
    await core.confirmTotp.execute({ actor, code: used });
    const challenge = await challengeOf(core.login.execute({ email: alice.email, password: PASSWORD }));
    expect(await codeOf(core.verifyMfa.execute({ challenge, code: used }))).to.equal('AUTH.MFA_INVALID');
    core.clock.advance(STEP_MS);
    const result = await core.verifyMfa.execute({ challenge, code: await codeNow(core, secret) });
    expect(result.user.id).to.equal(alice.id);
    expect(amrOf(result.access.token)).to.deep.equal(['pwd', 'otp']);
  });

  it('a refresh keeps amr pwd+otp; a password-only login has amr pwd', async () => {
    const { core, secret, login } = await enrolled();
    const challenge = await challengeOf(login());
    const first = await core.verifyMfa.execute({ challenge, code: await codeNow(core, secret) });
    core.clock.advance(1000);
    const next = await core.refresh.execute({ refreshToken: first.refreshToken });
    expect(amrOf(next.access.token)).to.deep.equal(['pwd', 'otp']);
    const again = await core.refresh.execute({ refreshToken: next.refreshToken });
    expect(amrOf(again.access.token)).to.deep.equal(['pwd', 'otp']);
    const bob = await core.register.execute(registration('bob'));
    const plain = await core.login.execute({ email: bob.email, password: PASSWORD });
    expect(amrOf(plain.access.token)).to.deep.equal(['pwd']);
    expect(amrOf((await core.refresh.execute({ refreshToken: plain.refreshToken })).access.token)).to.deep.equal([
      'pwd',
    ]);
  });

  it('a code is accepted once: the same code with a second challenge is refused', async () => {
    const { core, secret, login } = await enrolled();
    const code = await codeNow(core, secret);
    await core.verifyMfa.execute({ challenge: await challengeOf(login()), code });
    expect(await codeOf(core.verifyMfa.execute({ challenge: await challengeOf(login()), code }))).to.equal(
      'AUTH.MFA_INVALID',
    );
  });

  it('a challenge works once', async () => {
    const { core, secret, login } = await enrolled();
    const challenge = await challengeOf(login());
    await core.verifyMfa.execute({ challenge, code: await codeNow(core, secret) });
    core.clock.advance(STEP_MS);
    expect(await codeOf(core.verifyMfa.execute({ challenge, code: await codeNow(core, secret) }))).to.equal(
      'AUTH.MFA_INVALID',
    );
  });

  it('a wrong code leaves the challenge usable', async () => {
    const { core, secret, login } = await enrolled();
    const challenge = await challengeOf(login());
    expect(await codeOf(core.verifyMfa.execute({ challenge, code: await wrongCode(core, secret) }))).to.equal(
      'AUTH.MFA_INVALID',
    );
    await core.verifyMfa.execute({ challenge, code: await codeNow(core, secret) });
  });

  it('a challenge still works 1 ms before 5 minutes', async () => {
    const { core, secret, login } = await enrolled();
    const challenge = await challengeOf(login());
    core.clock.advance(CHALLENGE_TTL_MS - 1);
    await core.verifyMfa.execute({ challenge, code: await codeNow(core, secret) });
  });

  it('a challenge is refused exactly at 5 minutes and just after', async () => {
    const { core, secret, login } = await enrolled();
    const challenge = await challengeOf(login());
    core.clock.advance(CHALLENGE_TTL_MS);
    expect(await codeOf(core.verifyMfa.execute({ challenge, code: await codeNow(core, secret) }))).to.equal(
      'AUTH.MFA_INVALID',
    );
    core.clock.advance(1);
    expect(await codeOf(core.verifyMfa.execute({ challenge, code: await codeNow(core, secret) }))).to.equal(
      'AUTH.MFA_INVALID',
    );
  });

  it('a challenge is not a link token: verify, reset and confirm refuse it', async () => {
    const { core, login } = await enrolled();
    const challenge = await challengeOf(login());
    expect(await codeOf(core.verifyEmail.execute({ token: challenge }))).to.equal('AUTH.TOKEN_INVALID');
    expect(await codeOf(core.resetPassword.execute({ token: challenge, newPassword: 'a brand new one' }))).to.equal(
      'AUTH.TOKEN_INVALID',
    );
    expect(await codeOf(core.confirmEmailChange.execute({ token: challenge }))).to.equal('AUTH.TOKEN_INVALID');
  });

  it('a recovery code works once, typed in upper case with spaces; the second time it is refused', async () => {
    const { core, recoveryCodes, login } = await enrolled();
    const typed = ` ${recoveryCodes[0]!.toUpperCase().replace(/-/g, ' ')} `;
    const result = await core.verifyMfa.execute({ challenge: await challengeOf(login()), recoveryCode: typed });
    expect(amrOf(result.access.token)).to.deep.equal(['pwd', 'otp']);
    const again = core.verifyMfa.execute({ challenge: await challengeOf(login()), recoveryCode: recoveryCodes[0]! });
    expect(await codeOf(again)).to.equal('AUTH.MFA_INVALID');
    await core.verifyMfa.execute({ challenge: await challengeOf(login()), recoveryCode: recoveryCodes[1]! });
  });

  it("one user's recovery code and code do not open another user's challenge", async () => {
    const core = await aCore();
    const alice = await enrol(core, 'alice');
    const bob = await enrol(core, 'bob');
    const challenge = await challengeOf(bob.login());
    expect(await codeOf(core.verifyMfa.execute({ challenge, recoveryCode: alice.recoveryCodes[0]! }))).to.equal(
      'AUTH.MFA_INVALID',
    );
    expect(await codeOf(core.verifyMfa.execute({ challenge, code: await codeNow(core, alice.secret) }))).to.equal(
      'AUTH.MFA_INVALID',
    );
    await core.verifyMfa.execute({
      challenge: await challengeOf(alice.login()),
      recoveryCode: alice.recoveryCodes[0]!,
    });
    await core.verifyMfa.execute({ challenge, code: await codeNow(core, bob.secret) });
  });

  it('after MFA_MAX_FAILURES wrong codes even the right code is refused with AUTH.THROTTLED', async () => {
    const { core, secret, login } = await enrolled({ MFA_MAX_FAILURES: '3' });
    const challenge = await challengeOf(login());
    for (let i = 0; i < 3; i++) {
      expect(await codeOf(core.verifyMfa.execute({ challenge, code: await wrongCode(core, secret) }))).to.equal(
        'AUTH.MFA_INVALID',
      );
    }
    const err = await rejectionOf(core.verifyMfa.execute({ challenge, code: await codeNow(core, secret) }));
    expect(err.code).to.equal('AUTH.THROTTLED');
    expect((err as { retryAfterSeconds?: number }).retryAfterSeconds).to.be.within(1, 900);
    const fresh = core.verifyMfa.execute({ challenge: await challengeOf(login()), code: await codeNow(core, secret) });
    expect(await codeOf(fresh)).to.equal('AUTH.THROTTLED');
  });

  it('a right code clears the failures counted so far', async () => {
    const { core, secret, login } = await enrolled({ MFA_MAX_FAILURES: '2' });
    const wrong = async () =>
      expect(
        await codeOf(
          core.verifyMfa.execute({ challenge: await challengeOf(login()), code: await wrongCode(core, secret) }),
        ),
      ).to.equal('AUTH.MFA_INVALID');
    await wrong();
    await core.verifyMfa.execute({ challenge: await challengeOf(login()), code: await codeNow(core, secret) });
    core.clock.advance(STEP_MS);
    await wrong();
    await core.verifyMfa.execute({ challenge: await challengeOf(login()), code: await codeNow(core, secret) });
  });

  describe('DisableTotp', () => {
    it('refuses a wrong password (USER.WRONG_PASSWORD) and a wrong code (AUTH.MFA_CODE_INVALID); TOTP stays on', async () => {
      const { core, user, actor, secret } = await enrolled();
      const code = await codeNow(core, secret);
      expect(await codeOf(core.disableTotp.execute({ actor, password: 'not the password', code }))).to.equal(
        'USER.WRONG_PASSWORD',
      );
      const wrong = await wrongCode(core, secret);
      expect(await codeOf(core.disableTotp.execute({ actor, password: PASSWORD, code: wrong }))).to.equal(
        'AUTH.MFA_CODE_INVALID',
      );
      expect(await codeOf(core.disableTotp.execute({ actor, password: PASSWORD, recoveryCode: 'zzzz-zzzz' }))).to.equal(
        'AUTH.MFA_CODE_INVALID',
      );
      expect((await core.users.findById(user.id))?.totpEnabledAt).to.not.equal(null);
    });

    it('with the password and a code turns TOTP off: login gives tokens and the recovery codes are dead', async () => {
      const { core, user, actor, secret, recoveryCodes, login } = await enrolled();
      const pending = await challengeOf(login());
      expect(await core.accountTokens.useRecoveryCode(user.id, normalizeRecoveryCode(recoveryCodes[9]!))).to.equal(
        true,
      );
      await core.disableTotp.execute({ actor, password: PASSWORD, code: await codeNow(core, secret) });
      const stored = await core.users.findById(user.id);
      expect(stored).to.include({ totpSecret: null, totpEnabledAt: null });
      expect(amrOf((await login()).access.token)).to.deep.equal(['pwd']);
      for (const code of recoveryCodes.slice(0, 9)) {
        expect(await core.accountTokens.useRecoveryCode(user.id, normalizeRecoveryCode(code))).to.equal(false);
      }
      core.clock.advance(STEP_MS);
      expect(await codeOf(core.verifyMfa.execute({ challenge: pending, code: await codeNow(core, secret) }))).to.equal(
        'AUTH.MFA_INVALID',
      );
      expect(await codeOf(core.disableTotp.execute({ actor, password: PASSWORD, code: '123456' }))).to.equal(
        'AUTH.MFA_NOT_ENABLED',
      );
    });

    it('takes a recovery code instead of a code', async () => {
      const { core, user, actor, recoveryCodes } = await enrolled();
      await core.disableTotp.execute({ actor, password: PASSWORD, recoveryCode: recoveryCodes[3]!.toUpperCase() });
      expect((await core.users.findById(user.id))?.totpEnabledAt).to.equal(null);
    });

    it('after MFA_MAX_FAILURES failed attempts is refused with AUTH.THROTTLED', async () => {
      const { core, actor, secret } = await enrolled({ MFA_MAX_FAILURES: '2' });
      await rejectionOf(core.disableTotp.execute({ actor, password: 'not the password', code: '000000' }));
      await rejectionOf(core.disableTotp.execute({ actor, password: PASSWORD, code: await wrongCode(core, secret) }));
      const code = await codeNow(core, secret);
      expect(await codeOf(core.disableTotp.execute({ actor, password: PASSWORD, code }))).to.equal('AUTH.THROTTLED');
    });
  });

  describe('with REQUIRE_VERIFIED_EMAIL=true', () => {
    it('an unverified user gets AUTH.EMAIL_UNVERIFIED, but only after the right password', async () => {
      const core = await aCore({ REQUIRE_VERIFIED_EMAIL: 'true' });
      const alice = await core.register.execute(registration('alice'));
      expect(await codeOf(core.login.execute({ email: alice.email, password: 'not the password' }))).to.equal(
        'AUTH.INVALID_CREDENTIALS',
      );
      expect(await codeOf(core.login.execute({ email: alice.email, password: PASSWORD }))).to.equal(
        'AUTH.EMAIL_UNVERIFIED',
      );
      expect(await codeOf(core.login.execute({ email: 'nobody@example.com', password: PASSWORD }))).to.equal(
        'AUTH.INVALID_CREDENTIALS',
      );
    });

    it('a verified user signs in', async () => {
      const core = await aCore({ REQUIRE_VERIFIED_EMAIL: 'true' });
      const alice = await core.register.execute(registration('alice'));
      const [letter] = (
        await core.mailQueue.claim({ now: core.clock.now(), limit: 100, claimTtlMs: 1e12, owner: 't' })
      ).map((c) => c.message);
      const token = decodeURIComponent(/verify-email\?token=(\S+)/.exec(letter!.text)![1]!);
      await core.verifyEmail.execute({ token });
      expect((await core.login.execute({ email: alice.email, password: PASSWORD })).user.id).to.equal(alice.id);
    });

    it('the bootstrap admin (EnsureAdmin) counts as verified and is mailed nothing', async () => {
      const core = await aCore({ REQUIRE_VERIFIED_EMAIL: 'true' });
      expect(await core.ensureAdmin.execute({ email: 'Root@Example.com', password: PASSWORD })).to.equal('created');
      const result = await core.login.execute({ email: 'root@example.com', password: PASSWORD });
      expect(result.user.role).to.equal('admin');
      expect(result.user.emailVerifiedAt).to.not.equal(null);
      expect(
        await core.mailQueue.claim({ now: core.clock.now(), limit: 100, claimTtlMs: 1e12, owner: 't' }),
      ).to.deep.equal([]);
    });

    it('is checked before the second factor: an unverified user with TOTP gets no challenge', async () => {
      const core = await aCore({ REQUIRE_VERIFIED_EMAIL: 'true' });
      const { login } = await enrol(core, 'alice');
      expect(await codeOf(login())).to.equal('AUTH.EMAIL_UNVERIFIED');
    });

    it('is off by default: an unverified user signs in', async () => {
      const core = await aCore();
      const alice = await core.register.execute(registration('alice'));
      expect((await core.login.execute({ email: alice.email, password: PASSWORD })).user.emailVerifiedAt).to.equal(
        null,
      );
    });
  });
});
