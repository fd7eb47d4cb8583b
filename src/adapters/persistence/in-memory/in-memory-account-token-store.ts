import { AccountToken, type AccountTokenPurpose } from '../../../domain/account/account-token.js';
import type { AccountTokenStore } from '../../../domain/ports/account-token-store.js';

const copy = (t: AccountToken) =>
  new AccountToken(t.id, t.userId, t.purpose, t.digest, t.email, new Date(t.createdAt), new Date(t.expiresAt));

/** For unit tests and `DB_DRIVER=memory`. Every method changes the map within one tick, so a consume has one winner. */
export class InMemoryAccountTokenStore implements AccountTokenStore {
  private readonly tokens = new Map<string, AccountToken>();

  async insert(token: AccountToken): Promise<boolean> {
    if (this.tokens.has(token.id)) throw new Error(`duplicate account token id ${token.id}`);
    if ([...this.tokens.values()].some((t) => t.digest === token.digest)) return false;
    this.tokens.set(token.id, copy(token));
    return true;
  }

  async findByDigest(digest: string): Promise<AccountToken | null> {
    const found = [...this.tokens.values()].find((t) => t.digest === digest);
    return found ? copy(found) : null;
  }

  async consume(id: string): Promise<boolean> {
    return this.tokens.delete(id);
  }

  async revokeAll(userId: string, purpose: AccountTokenPurpose): Promise<void> {
    for (const t of this.tokens.values()) if (t.userId === userId && t.purpose === purpose) this.tokens.delete(t.id);
  }

  async deleteExpired(now: Date): Promise<number> {
    const expired = [...this.tokens.values()].filter((t) => t.expiresAt < now);
    for (const t of expired) this.tokens.delete(t.id);
    return expired.length;
  }
}
