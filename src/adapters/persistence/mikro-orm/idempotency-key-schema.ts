import { EntitySchema } from '@mikro-orm/core';
import { IdempotencyRecord } from '../../../domain/idempotency/idempotency-record.js';

/** Rows of `idempotency_keys`: the key is a digest of the caller and the client's key, so it is the primary key. */
export const IdempotencyKeySchema = new EntitySchema<IdempotencyRecord>({
  class: IdempotencyRecord,
  tableName: 'idempotency_keys',
  properties: {
    key: { type: 'string', length: 64, primary: true },
    fingerprint: { type: 'string', length: 64 },
    owner: { type: 'string', length: 36 },
    answer: { type: 'text', nullable: true },
    leaseUntil: { type: 'datetime', fieldName: 'lease_until' },
    expiresAt: { type: 'datetime', fieldName: 'expires_at', index: true },
  },
});
