import { EntitySchema, type OptionalProps } from '@mikro-orm/core';

/** One document of `idempotency_keys`; `_id` is the key (a digest of the caller and the client's key). */
export interface IdempotencyKeyDocument {
  [OptionalProps]?: 'id';
  _id: string;
  id: string;
  fingerprint: string;
  owner: string;
  answer: string | null;
  leaseUntil: Date;
  expiresAt: Date;
}

export const MongoIdempotencyKeySchema = new EntitySchema<IdempotencyKeyDocument>({
  name: 'IdempotencyKeyDocument',
  collection: 'idempotency_keys',
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', serializedPrimaryKey: true },
    fingerprint: { type: 'string' },
    owner: { type: 'string' },
    answer: { type: 'string', nullable: true },
    leaseUntil: { type: 'datetime' },
    expiresAt: { type: 'datetime', index: 'idempotency_keys_expires_at_index' },
  },
});

/**
 * One document of `idempotency_takeovers`: that one caller replaces a stale record. Its `_id` is the
 * key and the stale record's owner, so exactly one concurrent insert wins, on MongoDB and FerretDB
 * alike; a conditional delete alone could, on FerretDB, remove the winner's fresh record too.
 */
export interface IdempotencyTakeoverDocument {
  [OptionalProps]?: 'id';
  _id: string;
  id: string;
  expiresAt: Date;
}

export const MongoIdempotencyTakeoverSchema = new EntitySchema<IdempotencyTakeoverDocument>({
  name: 'IdempotencyTakeoverDocument',
  collection: 'idempotency_takeovers',
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', serializedPrimaryKey: true },
    expiresAt: { type: 'datetime', index: 'idempotency_takeovers_expires_at_index' },
  },
});
