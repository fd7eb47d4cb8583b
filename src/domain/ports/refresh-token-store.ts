import type { RefreshToken } from '../session/refresh-token.js';

export interface RefreshTokenStore {
  insert(token: RefreshToken): Promise<void>;
  findByDigest(digest: string): Promise<RefreshToken | null>;
  /** Marks the token spent only if it was not already: true for exactly one concurrent caller. */
  spend(id: string, at: Date): Promise<boolean>;
  revokeFamily(familyId: string, at: Date): Promise<void>;
  revokeAllOfUser(userId: string, at: Date): Promise<void>;
  /** True while the family has not been revoked. */
  isFamilyActive(familyId: string): Promise<boolean>;
}
