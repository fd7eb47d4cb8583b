import { unauthenticated } from '../../domain/errors.js';
import type { RefreshTokenStore } from '../../domain/ports/refresh-token-store.js';
import type { TokenService } from '../../domain/ports/token-service.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import type { Actor } from '../../domain/user/user.js';

/**
 * Turns a bearer token into the acting user. The user and the token's session are looked up, so
 * logout, a deleted account or a changed role take effect at once, not when the token expires.
 */
export class Authenticate {
  constructor(
    private readonly tokens: TokenService,
    private readonly users: UserStore,
    private readonly sessions: Pick<RefreshTokenStore, 'isFamilyActive'>,
  ) {}

  async execute(token: string): Promise<Actor> {
    const claims = await this.tokens.verifyAccessToken(token);
    const [user, sessionActive] = await Promise.all([
      this.users.findById(claims.sub),
      claims.sid ? this.sessions.isFamilyActive(claims.sid) : Promise.resolve(true),
    ]);
    if (!user || !sessionActive) throw unauthenticated('The access token is no longer valid.');
    return { id: user.id, role: user.role };
  }
}
