import { normalizeRecoveryCode } from '../../domain/account/recovery-code.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { SecretCipher } from '../../domain/ports/secret-cipher.js';
import type { Totp } from '../../domain/ports/totp.js';
import type { User } from '../../domain/user/user.js';
import type { AccountTokens } from './account-tokens.js';

/** A code from the authenticator app, or one of the recovery codes. */
export type SecondFactorProof = { code: string } | { recoveryCode: string };

/**
 * Checks a second factor against the user's TOTP secret or recovery codes. An accepted TOTP code's
 * time step is recorded, so that code is refused from then on (also when sent twice at once); a
 * recovery code is spent. Both are single-use across processes: the record is a unique insert.
 */
export class SecondFactor {
  constructor(
    private readonly totp: Totp,
    private readonly cipher: SecretCipher,
    private readonly tokens: AccountTokens,
    private readonly clock: Clock,
  ) {}

  /** True when `proof` is right and had not been used; false otherwise. */
  async check(user: User, proof: SecondFactorProof, secret = user.totpSecret): Promise<boolean> {
    if ('recoveryCode' in proof) {
      if (!user.totpEnabledAt) return false;
      return this.tokens.useRecoveryCode(user.id, normalizeRecoveryCode(proof.recoveryCode));
    }
    if (!secret) return false;
    const step = await this.totp.matchStep({
      code: proof.code,
      secret: this.cipher.open(secret),
      at: this.clock.now(),
    });
    if (step === null) return false;
    // Kept until no clock drift could make the code acceptable again.
    const until = new Date((step + 2) * this.totp.periodSeconds * 1000);
    // Per secret: a new enrolment's first code is not refused for a step the old secret used.
    return this.tokens.markOnce({ userId: user.id, purpose: 'totp-step', key: `${step}:${secret}`, until });
  }
}
