import type { ActiveUsers } from '../../domain/ports/active-users.js';
import type { RefreshTokenStore } from '../../domain/ports/refresh-token-store.js';
import type { UserStore } from '../../domain/ports/user-store.js';

/**
 * ActiveUsers for stores that cannot look both up at once: the session, then the user. One after
 * the other, so a request holds at most one pooled connection at a time.
 */
export function activeUsersFromStores(
  users: Pick<UserStore, 'findById'>,
  sessions: Pick<RefreshTokenStore, 'isFamilyActive'>,
): ActiveUsers {
  return {
    async find(userId, sessionId) {
      const sessionActive = sessionId === undefined || (await sessions.isFamilyActive(sessionId));
      return sessionActive ? users.findById(userId) : null;
    },
  };
}
