import type { User } from '../user/user.js';

/**
 * The user an access token speaks for, only while the token's session (its refresh-token family)
 * has not been revoked: null for a deleted user or an ended session. Looked up on every
 * authenticated request, so stores that can answer it in one round trip.
 */
export interface ActiveUsers {
  find(userId: string, sessionId?: string): Promise<User | null>;
}
