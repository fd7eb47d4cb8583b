import { EntitySchema, type OptionalProps } from '@mikro-orm/core';

/**
 * One document of `refresh_token_spends`: that a token was spent, and when. Its `_id` is the
 * token's id, so the unique `_id` index lets exactly one insert per token succeed. Servers agree
 * on that, unlike on conditional updates: FerretDB v1 applies an update's filter and then writes
 * the document back without checking it again, so concurrent "not yet spent" updates all succeed.
 */
export interface RefreshTokenSpendDocument {
  [OptionalProps]?: 'id';
  _id: string;
  id: string;
  /** The token's user, so that deleting a user deletes their spends with their tokens. */
  userId: string;
  spentAt: Date;
}

export const MongoRefreshTokenSpendSchema = new EntitySchema<RefreshTokenSpendDocument>({
  name: 'RefreshTokenSpendDocument',
  collection: 'refresh_token_spends',
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', serializedPrimaryKey: true },
    userId: { type: 'string', index: 'refresh_token_spends_user_id_index' },
    spentAt: { type: 'datetime' },
  },
});
