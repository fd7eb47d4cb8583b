import type { IdempotencyBeginning, IdempotencyClaim, IdempotentAnswer } from '../ports/idempotency-store.js';

/** One key's record as the stores keep it: `answer` is JSON text, null while the request runs. */
export class IdempotencyRecord {
  constructor(
    readonly key: string,
    readonly fingerprint: string,
    readonly owner: string,
    readonly answer: string | null,
    readonly leaseUntil: Date,
    readonly expiresAt: Date,
  ) {}

  static claimed(claim: IdempotencyClaim): IdempotencyRecord {
    const { key, fingerprint, owner, leaseUntil, expiresAt } = claim;
    return new IdempotencyRecord(key, fingerprint, owner, null, new Date(leaseUntil), new Date(expiresAt));
  }
}

/** Gone for a new claim: expired, or still running past its lease (its process died). */
export const isStale = (record: IdempotencyRecord, now: Date) =>
  record.expiresAt <= now || (record.answer === null && record.leaseUntil <= now);

/** What `begin` answers for a live record another request holds. */
export function beginningOf(record: IdempotencyRecord): IdempotencyBeginning {
  if (record.answer === null) return { outcome: 'running', fingerprint: record.fingerprint };
  return { outcome: 'done', fingerprint: record.fingerprint, answer: JSON.parse(record.answer) as IdempotentAnswer };
}
