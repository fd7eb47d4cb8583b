import { DomainError } from '../../domain/errors.js';
import type { TokenService } from '../../domain/ports/token-service.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import type { Actor } from '../../domain/user/user.js';

/**
 * Turns a bearer token into the acting user. The user is looked up, so a deleted account or a
 * changed role takes effect at once rather than when the token expires.
 */
export class Authenticate {
  constructor(
    private readonly tokens: TokenService,
    private readonly users: UserStore,
  ) {}

  async execute(token: string): Promise<Actor> {
    const claims = await this.tokens.verifyAccessToken(token);
    const user = await this.users.findById(claims.sub);
    if (!user) throw new DomainError('AUTH.UNAUTHENTICATED', 'The access token is no longer valid.');
    return { id: user.id, role: user.role };
  }
}
