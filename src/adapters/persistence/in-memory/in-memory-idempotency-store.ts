import { beginningOf, IdempotencyRecord, isStale } from '../../../domain/idempotency/idempotency-record.js';
import type {
  IdempotencyBeginning,
  IdempotencyClaim,
  IdempotencyStore,
  IdempotentAnswer,
} from '../../../domain/ports/idempotency-store.js';

/** For unit tests and `DB_DRIVER=memory`. Each method changes the map within one tick: one winner per key. */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();

  async begin(claim: IdempotencyClaim): Promise<IdempotencyBeginning> {
    const found = this.records.get(claim.key);
    if (found && !isStale(found, claim.now)) return beginningOf(found);
    this.records.set(claim.key, IdempotencyRecord.claimed(claim));
    return { outcome: 'started' };
  }

  async complete(key: string, owner: string, answer: IdempotentAnswer): Promise<void> {
    const r = this.records.get(key);
    if (!r || r.owner !== owner || r.answer !== null) return;
    this.records.set(
      key,
      new IdempotencyRecord(key, r.fingerprint, owner, JSON.stringify(answer), r.leaseUntil, r.expiresAt),
    );
  }

  async release(key: string, owner: string): Promise<void> {
    const r = this.records.get(key);
    if (r?.owner === owner && r.answer === null) this.records.delete(key);
  }

  async deleteExpired(now: Date): Promise<number> {
    let removed = 0;
    for (const [key, r] of this.records) if (r.expiresAt < now && this.records.delete(key)) removed++;
    return removed;
  }
}
