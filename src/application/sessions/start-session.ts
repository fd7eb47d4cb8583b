import type { Clock } from '../../domain/ports/clock.js';
import type { IdGenerator } from '../../domain/ports/id-generator.js';
import type { OpaqueTokens } from '../../domain/ports/opaque-tokens.js';
import type { RefreshTokenStore } from '../../domain/ports/refresh-token-store.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { RefreshToken, type AuthMethod } from '../../domain/session/refresh-token.js';
import { accountDisabled, invalidCredentials } from '../../domain/session/session-errors.js';
import { signInRefusal } from '../../domain/user/user.js';

export interface SessionSettings {
  refreshTtlSeconds: number;
  /** How long a just-spent token may still be presented (concurrent refreshes from one client). */
  reuseGraceSeconds: number;
}

/** Opens a new session family with its first refresh token. */
export class StartSession {
  constructor(
    private readonly store: RefreshTokenStore,
    private readonly opaque: OpaqueTokens,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly users: Pick<UserStore, 'findById'>,
    private readonly settings: SessionSettings,
  ) {}

  /**
   * `amr`: how the login was proven; every token of the family carries it on.
   *
   * A sign-in that read the user before an admin disabled or deleted them must not keep a session:
   * the user is read again once the family is stored. Disabling writes the status first and then
   * revokes every family, so either that read sees the user disabled (and this family is revoked
   * here) or the family was stored before the revocation, which ends it.
   */
  async execute(userId: string, amr: AuthMethod[] = ['pwd']): Promise<{ familyId: string; refreshToken: string }> {
    const familyId = this.ids.next();
    const refreshToken = this.opaque.create();
    await this.store.insert(this.record(familyId, userId, refreshToken, amr));
    const user = await this.users.findById(userId);
    const refusal = user ? signInRefusal(user) : 'deleted';
    if (refusal) {
      await this.store.revokeFamily(familyId, this.clock.now());
      throw refusal === 'disabled' ? accountDisabled() : invalidCredentials();
    }
    return { familyId, refreshToken };
  }

  /** A stored record for `token` in `familyId`, valid for the configured lifetime from now. */
  record(familyId: string, userId: string, token: string, amr: AuthMethod[]): RefreshToken {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.settings.refreshTtlSeconds * 1000);
    return new RefreshToken(
      this.ids.next(),
      familyId,
      userId,
      this.opaque.digest(token),
      now,
      expiresAt,
      null,
      null,
      amr,
    );
  }
}
