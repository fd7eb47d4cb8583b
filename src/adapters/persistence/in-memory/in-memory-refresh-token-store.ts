import type { RefreshTokenStore } from '../../../domain/ports/refresh-token-store.js';
import { RefreshToken } from '../../../domain/session/refresh-token.js';

const copy = (t: RefreshToken) =>
  new RefreshToken(t.id, t.familyId, t.userId, t.tokenDigest, t.createdAt, t.expiresAt, t.spentAt, t.revokedAt, [
    ...t.amr,
  ]);

export class InMemoryRefreshTokenStore implements RefreshTokenStore {
  private readonly tokens = new Map<string, RefreshToken>();

  async insert(token: RefreshToken): Promise<void> {
    this.tokens.set(token.id, copy(token));
  }

  async findByDigest(digest: string): Promise<RefreshToken | null> {
    const found = [...this.tokens.values()].find((t) => t.tokenDigest === digest);
    return found ? copy(found) : null;
  }

  async spend(id: string, at: Date): Promise<boolean> {
    const token = this.tokens.get(id);
    if (!token || token.spentAt) return false;
    token.spentAt = at;
    return true;
  }

  async revokeFamily(familyId: string, at: Date): Promise<void> {
    for (const t of this.tokens.values()) if (t.familyId === familyId) t.revokedAt ??= at;
  }

  async revokeAllOfUser(userId: string, at: Date): Promise<void> {
    for (const t of this.tokens.values()) if (t.userId === userId) t.revokedAt ??= at;
  }

  async isFamilyActive(familyId: string): Promise<boolean> {
    return ![...this.tokens.values()].some((t) => t.familyId === familyId && t.revokedAt);
  }
}
