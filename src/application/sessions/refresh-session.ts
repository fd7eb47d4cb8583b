import type { Clock } from '../../domain/ports/clock.js';
import type { LoginThrottle } from '../../domain/ports/login-throttle.js';
import type { OpaqueTokens } from '../../domain/ports/opaque-tokens.js';
import type { RefreshTokenStore } from '../../domain/ports/refresh-token-store.js';
import type { TokenService } from '../../domain/ports/token-service.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import type { RefreshToken } from '../../domain/session/refresh-token.js';
import { invalidRefreshToken } from '../../domain/session/session-errors.js';
import type { LoginResult } from '../auth/login.js';
import type { SessionSettings, StartSession } from './start-session.js';

/**
 * Spends a refresh token for a new pair in the same family. A token spent longer ago than the
 * grace window is a replay: the whole family is revoked.
 */
export class RefreshSession {
  constructor(
    private readonly store: RefreshTokenStore,
    private readonly opaque: OpaqueTokens,
    private readonly users: UserStore,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly start: StartSession,
    /** Per client: a refresh token is 256 random bits, so this only bounds the work one client makes. */
    private readonly throttle: LoginThrottle,
    private readonly settings: SessionSettings,
  ) {}

  async execute(input: { refreshToken: string; client?: string }): Promise<LoginResult> {
    const client = input.client ?? 'unknown';
    await this.throttle.consume({ account: client, client });
    const record = await this.store.findByDigest(this.opaque.digest(input.refreshToken));
    const now = this.clock.now();
    if (!record || record.revokedAt || record.expiresAt <= now) throw invalidRefreshToken();
    if (!(await this.store.isFamilyActive(record.familyId))) throw invalidRefreshToken();
    const next = this.opaque.successor(input.refreshToken);
    if (await this.store.spend(record.id, now)) {
      await this.store.insert(this.start.record(record.familyId, record.userId, next, record.amr));
    } else {
      await this.assertWithinGrace(record, now);
    }
    const user = await this.users.findById(record.userId);
    if (!user) throw invalidRefreshToken();
    const access = await this.tokens.issueAccessToken(user, record.familyId, record.amr);
    return { user, access, refreshToken: next };
  }

  private async assertWithinGrace(record: RefreshToken, now: Date): Promise<void> {
    const spent = await this.store.findByDigest(record.tokenDigest);
    const spentAt = spent?.spentAt?.getTime() ?? 0;
    if (now.getTime() - spentAt > this.settings.reuseGraceSeconds * 1000) {
      await this.store.revokeFamily(record.familyId, now);
      throw invalidRefreshToken();
    }
  }
}
