import { unauthenticated } from '../../domain/errors.js';
import type { ActiveUsers } from '../../domain/ports/active-users.js';
import type { TokenService } from '../../domain/ports/token-service.js';
import { signInRefusal, type Actor } from '../../domain/user/user.js';

/**
 * Turns a bearer token into the acting user. The user and the token's session are looked up, so
 * logout, a disabled or deleted account or a changed role take effect at once, not when the token expires.
 */
export class Authenticate {
  constructor(
    private readonly tokens: TokenService,
    private readonly users: ActiveUsers,
  ) {}

  async execute(token: string): Promise<Actor> {
    const claims = await this.tokens.verifyAccessToken(token);
    const user = await this.users.find(claims.sub, claims.sid);
    // Disabling or deleting a user also revokes their sessions; this holds even for a token without one.
    if (!user || signInRefusal(user)) throw unauthenticated('The access token is no longer valid.');
    return { id: user.id, role: user.role, self: user };
  }
}
