import type { Clock } from '../../domain/ports/clock.js';
import type { LoginThrottle } from '../../domain/ports/login-throttle.js';
import type { OpaqueTokens } from '../../domain/ports/opaque-tokens.js';
import type { RefreshTokenStore } from '../../domain/ports/refresh-token-store.js';
import type { TokenService } from '../../domain/ports/token-service.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import type { RefreshToken } from '../../domain/session/refresh-token.js';
import { invalidRefreshToken } from '../../domain/session/session-errors.js';
import { signInRefusal } from '../../domain/user/user.js';
import type { LoginResult } from '../auth/login.js';
import type { SessionSettings, StartSession } from './start-session.js';

/**
 * Spends a refresh token for a new pair in the same family. A token spent longer ago than the
 * grace window is a replay: the whole family is revoked.
 *
 * The rotation (read the token, check its family, spend it, insert its successor) is one unit of
 * work: on SQL stores the spend and the successor commit together, so a failure between them can
 * never leave a session whose token is spent and whose successor does not exist.
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
    private readonly unitOfWork: UnitOfWork,
    private readonly settings: SessionSettings,
  ) {}

  async execute(input: { refreshToken: string; client?: string }): Promise<LoginResult> {
    const client = input.client ?? 'unknown';
    await this.throttle.consume({ account: client, client });
    const digest = this.opaque.digest(input.refreshToken);
    const next = this.opaque.successor(input.refreshToken);
    const now = this.clock.now();
    const { record, rotated } = await this.unitOfWork.run(async () => {
      const found = await this.store.findByDigest(digest);
      if (!found || found.revokedAt || found.expiresAt <= now) throw invalidRefreshToken();
      if (!(await this.store.isFamilyActive(found.familyId))) throw invalidRefreshToken();
      if (!(await this.store.spend(found.id, now))) return { record: found, rotated: false };
      await this.store.insert(this.start.record(found.familyId, found.userId, next, found.amr));
      return { record: found, rotated: true };
    });
    // Outside the unit of work: a replay's revocation must commit although the refresh then fails.
    if (!rotated) await this.assertWithinGrace(record, now);
    const user = await this.users.findById(record.userId);
    // A user disabled or deleted since: their families were revoked, this covers a race with that.
    if (!user || signInRefusal(user)) throw invalidRefreshToken();
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
