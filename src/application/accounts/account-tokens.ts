import { AccountToken, type AccountTokenPurpose } from '../../domain/account/account-token.js';
import type { AccountTokenStore } from '../../domain/ports/account-token-store.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { IdGenerator } from '../../domain/ports/id-generator.js';
import type { OpaqueTokens } from '../../domain/ports/opaque-tokens.js';

/** What each kind of secret starts with, so a pasted one says what it is for. */
const PREFIXES: Partial<Record<AccountTokenPurpose, string>> = {
  'verify-email': 've_',
  'reset-password': 'pr_',
  'change-email': 'ec_',
  'mfa-challenge': 'mc_',
  'oidc-exchange': 'oc_',
  'oidc-link': 'ol_',
};

/** Far enough that a recovery code never expires on its own; it dies when used or replaced. */
const NEVER = new Date('9999-12-31T00:00:00Z');

/**
 * Issues and checks account tokens. The secret goes to the user (in a link, or as a challenge);
 * only its digest is stored. A secret checks out only for the purpose it was issued for and before
 * it expires; spending it (`consume`) is the caller's last step, once everything else has passed.
 */
export class AccountTokens {
  constructor(
    private readonly store: AccountTokenStore,
    private readonly opaque: OpaqueTokens,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  /** A new secret of `purpose` for the user, stored as a digest; returns the secret. */
  async issue(input: {
    userId: string;
    purpose: AccountTokenPurpose;
    email?: string;
    ttlSeconds: number;
  }): Promise<string> {
    const secret = this.opaque.create(PREFIXES[input.purpose]);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + input.ttlSeconds * 1000);
    await this.store.insert(
      new AccountToken(
        this.ids.next(),
        input.userId,
        input.purpose,
        this.opaque.digest(secret),
        input.email ?? null,
        now,
        expiresAt,
      ),
    );
    return secret;
  }

  /** The live token behind `secret` for `purpose`, else null (unknown, used, expired, other purpose). */
  async find(secret: string, purpose: AccountTokenPurpose): Promise<AccountToken | null> {
    const token = await this.store.findByDigest(this.opaque.digest(secret));
    if (!token || token.purpose !== purpose || token.expiresAt <= this.clock.now()) return null;
    return token;
  }

  /** True for exactly one caller: the token is spent. */
  consume(token: AccountToken): Promise<boolean> {
    return this.store.consume(token.id);
  }

  /** One purpose after another: inside a unit of work they share one connection, which runs one statement at a time. */
  async revokeAll(userId: string, ...purposes: AccountTokenPurpose[]): Promise<void> {
    for (const purpose of purposes) await this.store.revokeAll(userId, purpose);
  }

  /**
   * Records a one-time fact about the user under a key (a TOTP step, a recovery code): false when
   * it was recorded before, so the same code is never accepted twice, also by concurrent requests.
   */
  async markOnce(input: { userId: string; purpose: 'totp-step'; key: string; until: Date }): Promise<boolean> {
    // The key may hold a sealed secret: only its digest is stored.
    const now = this.clock.now();
    const digest = this.opaque.digest(`${input.purpose}:${input.userId}:${input.key}`);
    return this.store.insert(
      new AccountToken(this.ids.next(), input.userId, input.purpose, digest, null, now, input.until),
    );
  }

  /** Stores recovery codes (as digests keyed to the user), replacing any the user had. */
  async replaceRecoveryCodes(userId: string, codes: string[]): Promise<void> {
    await this.store.revokeAll(userId, 'recovery-code');
    const now = this.clock.now();
    for (const code of codes) {
      const digest = this.recoveryDigest(userId, code);
      await this.store.insert(new AccountToken(this.ids.next(), userId, 'recovery-code', digest, null, now, NEVER));
    }
  }

  /** Spends one of the user's recovery codes: true for exactly one caller, false for an unknown or used code. */
  async useRecoveryCode(userId: string, code: string): Promise<boolean> {
    const token = await this.store.findByDigest(this.recoveryDigest(userId, code));
    if (!token || token.purpose !== 'recovery-code' || token.userId !== userId) return false;
    return this.store.consume(token.id);
  }

  /** Expired tokens of every kind; the sweep calls it now and then. */
  deleteExpired(): Promise<number> {
    return this.store.deleteExpired(this.clock.now());
  }

  private recoveryDigest(userId: string, normalizedCode: string): string {
    return this.opaque.digest(`recovery-code:${userId}:${normalizedCode}`);
  }
}
