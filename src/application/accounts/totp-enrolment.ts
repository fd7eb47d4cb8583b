import {
  mfaAlreadyEnabled,
  mfaCodeInvalid,
  mfaNotEnabled,
  mfaNotStarted,
} from '../../domain/account/account-errors.js';
import { newRecoveryCode, normalizeRecoveryCode } from '../../domain/account/recovery-code.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { LoginThrottle } from '../../domain/ports/login-throttle.js';
import type { PasswordHasher } from '../../domain/ports/password-hasher.js';
import type { SecretCipher } from '../../domain/ports/secret-cipher.js';
import type { Totp } from '../../domain/ports/totp.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { hasTotp, type Actor, type User } from '../../domain/user/user.js';
import { userNotFound, wrongPassword } from '../../domain/user/user-errors.js';
import type { AccountSettings } from './account-settings.js';
import type { AccountTokens } from './account-tokens.js';
import type { SecondFactor, SecondFactorProof } from './second-factor.js';

const RECOVERY_CODES = 10;
const DAY_MS = 86_400_000;

async function self(users: UserStore, actor: Actor): Promise<User> {
  const user = await users.findById(actor.id);
  if (!user) throw userNotFound();
  return user;
}

/**
 * POST /v1/auth/mfa/totp: a new secret, sealed at rest, not required at login until a first code
 * confirms it. Starting again before confirming replaces the secret.
 */
export class StartTotpEnrolment {
  constructor(
    private readonly users: UserStore,
    private readonly totp: Totp,
    private readonly cipher: SecretCipher,
    private readonly clock: Clock,
    private readonly settings: Pick<AccountSettings, 'totpIssuer'>,
  ) {}

  async execute(input: { actor: Actor }): Promise<{ secret: string; otpauthUri: string }> {
    const user = await self(this.users, input.actor);
    if (hasTotp(user)) throw mfaAlreadyEnabled();
    const secret = this.totp.generateSecret();
    user.totpSecret = this.cipher.seal(secret);
    user.totpEnabledAt = null;
    user.updatedAt = this.clock.now();
    await this.users.update(user);
    return { secret, otpauthUri: this.totp.uri({ secret, account: user.email, issuer: this.settings.totpIssuer }) };
  }
}

/** POST /v1/auth/mfa/totp/confirm: a first valid code turns TOTP on and yields ten recovery codes, shown once. */
export class ConfirmTotpEnrolment {
  constructor(
    private readonly users: UserStore,
    private readonly factor: SecondFactor,
    private readonly tokens: AccountTokens,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(input: { actor: Actor; code: string }): Promise<{ recoveryCodes: string[] }> {
    const user = await self(this.users, input.actor);
    if (hasTotp(user)) throw mfaAlreadyEnabled();
    if (!user.totpSecret) throw mfaNotStarted();
    if (!(await this.factor.check(user, { code: input.code }))) throw mfaCodeInvalid();
    // Confirms sent at once (with codes of different steps) would each hand out recovery codes, and
    // all but the last set would be dead. One enrolment is confirmed once, also across processes.
    const once = { userId: user.id, purpose: 'totp-step' as const, key: `confirmed:${user.totpSecret}` };
    if (!(await this.tokens.markOnce({ ...once, until: new Date(this.clock.now().getTime() + DAY_MS) }))) {
      throw mfaAlreadyEnabled();
    }
    const recoveryCodes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    const now = this.clock.now();
    user.totpEnabledAt = now;
    user.updatedAt = now;
    await this.unitOfWork.run(async () => {
      await this.tokens.replaceRecoveryCodes(user.id, recoveryCodes.map(normalizeRecoveryCode));
      await this.users.update(user);
    });
    return { recoveryCodes };
  }
}

/**
 * DELETE /v1/auth/mfa/totp: needs the password and a code (or a recovery code), so a stolen access
 * token alone cannot turn the second factor off. Attempts count against the same throttle as the
 * second step of login.
 */
export class DisableTotp {
  constructor(
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly factor: SecondFactor,
    private readonly tokens: AccountTokens,
    private readonly unitOfWork: UnitOfWork,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
  ) {}

  async execute(input: { actor: Actor; password: string; client?: string } & SecondFactorProof): Promise<void> {
    const attempt = { account: input.actor.id, client: input.client ?? 'unknown' };
    await this.throttle.consume(attempt);
    const user = await self(this.users, input.actor);
    if (!hasTotp(user)) throw mfaNotEnabled();
    if (!(await this.hasher.verify(input.password.normalize('NFKC'), user.passwordHash))) throw wrongPassword();
    const proof: SecondFactorProof =
      'recoveryCode' in input ? { recoveryCode: input.recoveryCode } : { code: input.code };
    if (!(await this.factor.check(user, proof)))
      throw mfaCodeInvalid('recoveryCode' in proof ? 'recoveryCode' : 'code');
    await this.throttle.recordSuccess(attempt);
    user.totpSecret = null;
    user.totpEnabledAt = null;
    user.updatedAt = this.clock.now();
    await this.unitOfWork.run(async () => {
      await this.users.update(user);
      await this.tokens.revokeAll(user.id, 'recovery-code', 'mfa-challenge');
    });
  }
}
