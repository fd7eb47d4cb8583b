import type { Clock } from '../../domain/ports/clock.js';
import type { RefreshTokenStore } from '../../domain/ports/refresh-token-store.js';

/** Ends every session of a user: after a password change, a role change or a deletion. */
export class RevokeUserSessions {
  constructor(
    private readonly store: RefreshTokenStore,
    private readonly clock: Clock,
  ) {}

  execute(userId: string): Promise<void> {
    return this.store.revokeAllOfUser(userId, this.clock.now());
  }
}
