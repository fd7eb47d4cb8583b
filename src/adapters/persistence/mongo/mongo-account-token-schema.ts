import { EntitySchema, type OptionalProps } from '@mikro-orm/core';
import type { AccountTokenPurpose } from '../../../domain/account/account-token.js';

/** One document of `account_tokens`; `_id` is the token's UUIDv7, as for users. */
export interface AccountTokenDocument {
  [OptionalProps]?: 'id';
  _id: string;
  id: string;
  userId: string;
  purpose: AccountTokenPurpose;
  digest: string;
  email: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** Named so a duplicate-key error can be told apart from one on `_id`. */
export const ACCOUNT_TOKENS_DIGEST_INDEX = 'account_tokens_digest_unique';

/** Lookups by digest; revocation by user and purpose (and MongoUserStore.delete by user). */
export const MongoAccountTokenSchema = new EntitySchema<AccountTokenDocument>({
  name: 'AccountTokenDocument',
  collection: 'account_tokens',
  indexes: [{ name: 'account_tokens_user_id_purpose_index', properties: ['userId', 'purpose'] }],
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', serializedPrimaryKey: true },
    userId: { type: 'string' },
    purpose: { type: 'string' },
    digest: { type: 'string', unique: ACCOUNT_TOKENS_DIGEST_INDEX },
    email: { type: 'string', nullable: true },
    createdAt: { type: 'datetime' },
    expiresAt: { type: 'datetime', index: 'account_tokens_expires_at_index' },
  },
});

/**
 * One document of `account_token_uses`: that a token was consumed. Its `_id` is the token's id, so
 * exactly one concurrent insert wins, on MongoDB and FerretDB alike (FerretDB v1 does not apply a
 * conditional update or delete atomically; see mongo-refresh-token-spend-schema.ts). A use is kept
 * until its token would have expired, so a late caller can never win a second time.
 */
export interface AccountTokenUseDocument {
  [OptionalProps]?: 'id';
  _id: string;
  id: string;
  userId: string;
  expiresAt: Date;
}

export const MongoAccountTokenUseSchema = new EntitySchema<AccountTokenUseDocument>({
  name: 'AccountTokenUseDocument',
  collection: 'account_token_uses',
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', serializedPrimaryKey: true },
    userId: { type: 'string', index: 'account_token_uses_user_id_index' },
    expiresAt: { type: 'datetime', index: 'account_token_uses_expires_at_index' },
  },
});
