import { EntitySchema, type OptionalProps } from '@mikro-orm/core';

/**
 * One document of `version_claims`: that a writer has taken the next version of a record. Its
 * `_id` is `<collection>:<record id>:<version>`, so the unique `_id` index lets exactly one insert
 * per version succeed; only that writer goes on to write the record. That makes conditional writes
 * (If-Match) atomic on FerretDB too, whose conditional updates let several concurrent writers win
 * (see MongoRefreshTokenSpendSchema).
 */
export interface VersionClaimDocument {
  [OptionalProps]?: 'id';
  _id: string;
  id: string;
  /** `<collection>:<record id>`, so that deleting a record deletes its claims. */
  record: string;
  claimedAt: Date;
}

export const MongoVersionClaimSchema = new EntitySchema<VersionClaimDocument>({
  name: 'VersionClaimDocument',
  collection: 'version_claims',
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', serializedPrimaryKey: true },
    record: { type: 'string', index: 'version_claims_record_index' },
    claimedAt: { type: 'datetime' },
  },
});
