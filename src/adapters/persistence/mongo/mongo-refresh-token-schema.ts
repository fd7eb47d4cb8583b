import { EntitySchema, type OptionalProps } from '@mikro-orm/core';
import type { AuthMethod } from '../../../domain/session/refresh-token.js';

/**
 * One document of `refresh_tokens`; `_id` is the token's UUIDv7, as for users. When it was spent
 * is not here but in `refresh_token_spends` (see there): the only update a token gets is its
 * revocation, so concurrent writes to one token never overwrite each other's fields.
 */
export interface RefreshTokenDocument {
  [OptionalProps]?: 'id';
  _id: string;
  id: string;
  familyId: string;
  userId: string;
  tokenDigest: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  /** An array of RFC 8176 values; documents written before it existed have none, read as ['pwd']. */
  amr?: AuthMethod[];
}

/**
 * The indexes every query of the store starts with: digest lookups, family and user revocation
 * (and MongoUserStore.delete removing a deleted user's tokens, which SQL does by cascade).
 */
export const MongoRefreshTokenSchema = new EntitySchema<RefreshTokenDocument>({
  name: 'RefreshTokenDocument',
  collection: 'refresh_tokens',
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', serializedPrimaryKey: true },
    familyId: { type: 'string', index: 'refresh_tokens_family_id_index' },
    userId: { type: 'string', index: 'refresh_tokens_user_id_index' },
    tokenDigest: { type: 'string', unique: 'refresh_tokens_token_digest_unique' },
    createdAt: { type: 'datetime' },
    expiresAt: { type: 'datetime' },
    revokedAt: { type: 'datetime', nullable: true },
    amr: { type: 'json', nullable: true },
  },
});
