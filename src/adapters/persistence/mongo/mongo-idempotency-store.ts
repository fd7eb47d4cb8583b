import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { beginningOf, IdempotencyRecord, isStale } from '../../../domain/idempotency/idempotency-record.js';
import type {
  IdempotencyBeginning,
  IdempotencyClaim,
  IdempotencyStore,
  IdempotentAnswer,
} from '../../../domain/ports/idempotency-store.js';
import {
  MongoIdempotencyKeySchema,
  MongoIdempotencyTakeoverSchema,
  type IdempotencyKeyDocument,
  type IdempotencyTakeoverDocument,
} from './mongo-idempotency-key-schema.js';
import { duplicateKeyIn, translateMongoError } from './mongo-errors.js';
import { asDate, asString } from './mongo-guards.js';

const toRecord = (d: IdempotencyKeyDocument) =>
  new IdempotencyRecord(d._id, d.fingerprint, d.owner, d.answer ?? null, new Date(d.leaseUntil), new Date(d.expiresAt));

/** Inserts; false for a duplicate `_id` (the only unique index of both collections). */
async function inserted(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (error) {
    if (duplicateKeyIn(error)) return false;
    throw error;
  }
}

/**
 * The same contract as MikroOrmIdempotencyStore, with inserts against `_id` deciding every race
 * (FerretDB v1 applies conditional updates and deletes non-atomically; docs/mongo.md). Replacing a
 * stale record is won by inserting its takeover document first; only the winner deletes it.
 */
export class MongoIdempotencyStore implements IdempotencyStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return this.orm.em.fork();
  }

  begin(claim: IdempotencyClaim): Promise<IdempotencyBeginning> {
    return translateMongoError(async () => {
      const em = this.em();
      const _id = asString(claim.key, 'key');
      const found = await em.findOne(MongoIdempotencyKeySchema, { _id }, { disableIdentityMap: true });
      const record = found ? toRecord(found) : null;
      if (record && !isStale(record, claim.now)) return beginningOf(record);
      if (record) {
        const takeover = { _id: `${_id}:${record.owner}`, expiresAt: asDate(claim.expiresAt, 'expiresAt') };
        const won = await inserted(() =>
          em.insert<IdempotencyTakeoverDocument>(MongoIdempotencyTakeoverSchema, takeover),
        );
        if (!won) return { outcome: 'running', fingerprint: claim.fingerprint };
        await em.nativeDelete(MongoIdempotencyKeySchema, { _id, owner: record.owner });
      }
      const document = {
        _id,
        fingerprint: asString(claim.fingerprint, 'fingerprint'),
        owner: asString(claim.owner, 'owner'),
        answer: null,
        leaseUntil: asDate(claim.leaseUntil, 'leaseUntil'),
        expiresAt: asDate(claim.expiresAt, 'expiresAt'),
      };
      if (await inserted(() => em.insert<IdempotencyKeyDocument>(MongoIdempotencyKeySchema, document)))
        return { outcome: 'started' };
      const winner = await em.findOne(MongoIdempotencyKeySchema, { _id }, { disableIdentityMap: true });
      return winner ? beginningOf(toRecord(winner)) : { outcome: 'running', fingerprint: claim.fingerprint };
    });
  }

  complete(key: string, owner: string, answer: IdempotentAnswer): Promise<void> {
    return translateMongoError(async () => {
      const where = { _id: asString(key, 'key'), owner: asString(owner, 'owner'), answer: null };
      await this.em().nativeUpdate(MongoIdempotencyKeySchema, where, { answer: JSON.stringify(answer) });
    });
  }

  release(key: string, owner: string): Promise<void> {
    return translateMongoError(async () => {
      const where = { _id: asString(key, 'key'), owner: asString(owner, 'owner'), answer: null };
      await this.em().nativeDelete(MongoIdempotencyKeySchema, where);
    });
  }

  deleteExpired(now: Date): Promise<number> {
    return translateMongoError(async () => {
      const before = { expiresAt: { $lt: asDate(now, 'now') } };
      const em = this.em();
      const deleted = await em.nativeDelete(MongoIdempotencyKeySchema, before);
      await em.nativeDelete(MongoIdempotencyTakeoverSchema, before);
      return deleted;
    });
  }
}
