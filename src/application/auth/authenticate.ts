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
    // One after the other: a request holds at most one pooled connection at a time.
    const sessionActive = claims.sid ? await this.sessions.isFamilyActive(claims.sid) : true;
    const user = sessionActive ? await this.users.findById(claims.sub) : null;
    if (!user) throw unauthenticated('The access token is no longer valid.');
    return { id: user.id, role: user.role };
  }
}
