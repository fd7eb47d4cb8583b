import type { PasskeyChallengeStore } from '../../../domain/ports/passkey-challenge-store.js';
import { PasskeyChallenge } from '../../../domain/passkey/passkey.js';

const copy = (c: PasskeyChallenge) =>
  new PasskeyChallenge(c.id, c.ceremony, c.userId, new Date(c.createdAt), new Date(c.expiresAt));

/** For unit tests and `DB_DRIVER=memory`. A consume reads and deletes within one tick, so it has one winner. */
export class InMemoryPasskeyChallengeStore implements PasskeyChallengeStore {
  private readonly challenges = new Map<string, PasskeyChallenge>();

  async insert(challenge: PasskeyChallenge): Promise<void> {
    if (this.challenges.has(challenge.id)) throw new Error('duplicate passkey challenge');
    this.challenges.set(challenge.id, copy(challenge));
  }

  async consume(id: string): Promise<PasskeyChallenge | null> {
    const found = this.challenges.get(id);
    if (!found) return null;
    this.challenges.delete(id);
    return copy(found);
  }

  async deleteExpired(now: Date): Promise<number> {
    const expired = [...this.challenges.values()].filter((c) => c.expiresAt < now);
    for (const c of expired) this.challenges.delete(c.id);
    return expired.length;
  }
}
