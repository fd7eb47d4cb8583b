import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { beginningOf, IdempotencyRecord, isStale } from '../../../domain/idempotency/idempotency-record.js';
import type {
  IdempotencyBeginning,
  IdempotencyClaim,
  IdempotencyStore,
  IdempotentAnswer,
} from '../../../domain/ports/idempotency-store.js';
import { translateDbError } from './db-errors.js';
import { IdempotencyKeySchema } from './idempotency-key-schema.js';
import { contextEm } from './transaction-scope.js';

/** A record that vanished between a lost insert and the read after it is read again this often. */
const ATTEMPTS = 3;

/**
 * Idempotency records in `idempotency_keys`. A claim is an INSERT ... ON CONFLICT DO NOTHING on the
 * key: exactly one concurrent caller inserts. A stale record (expired, or running past its lease) is
 * first deleted on the condition that it is still that stale record, then the insert decides.
 */
export class MikroOrmIdempotencyStore implements IdempotencyStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): SqlEntityManager {
    return contextEm(this.orm) as SqlEntityManager;
  }

  begin(claim: IdempotencyClaim): Promise<IdempotencyBeginning> {
    return translateDbError(async () => {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const found = await this.find(claim.key);
        if (found && !isStale(found, claim.now)) return beginningOf(found);
        if (found) await this.deleteStale(found, claim.now);
        if (await this.insert(IdempotencyRecord.claimed(claim))) return { outcome: 'started' };
      }
      return { outcome: 'running', fingerprint: claim.fingerprint };
    });
  }

  private find(key: string): Promise<IdempotencyRecord | null> {
    return this.em().findOne(IdempotencyKeySchema, { key }, { disableIdentityMap: true });
  }

  private async insert(record: IdempotencyRecord): Promise<boolean> {
    const qb = this.em().createQueryBuilder(IdempotencyKeySchema).insert(record).onConflict('key').ignore();
    return (await qb.execute('run')).affectedRows === 1;
  }

  private deleteStale(record: IdempotencyRecord, now: Date): Promise<number> {
    return this.em().nativeDelete(IdempotencyKeySchema, {
      key: record.key,
      owner: record.owner,
      $or: [{ expiresAt: { $lte: now } }, { answer: null, leaseUntil: { $lte: now } }],
    });
  }

  complete(key: string, owner: string, answer: IdempotentAnswer): Promise<void> {
    return translateDbError(async () => {
      const where = { key, owner, answer: null };
      await this.em().nativeUpdate(IdempotencyKeySchema, where, { answer: JSON.stringify(answer) });
    });
  }

  release(key: string, owner: string): Promise<void> {
    return translateDbError(
      async () => void (await this.em().nativeDelete(IdempotencyKeySchema, { key, owner, answer: null })),
    );
  }

  deleteExpired(now: Date): Promise<number> {
    return translateDbError(() => this.em().nativeDelete(IdempotencyKeySchema, { expiresAt: { $lt: now } }));
  }
}
