import { EntitySchema } from '@mikro-orm/core';
import { AccountToken } from '../../../domain/account/account-token.js';

/**
 * Rows of `account_tokens`. The foreign key to users (ON DELETE CASCADE: a deleted user's links
 * die with them) lives in the migrations, hand-written, as for refresh_tokens.
 */
export const AccountTokenSchema = new EntitySchema<AccountToken>({
  class: AccountToken,
  tableName: 'account_tokens',
  properties: {
    id: { type: 'uuid', primary: true },
    userId: { type: 'uuid', fieldName: 'user_id', index: true },
    // Not an enum, as in mail_outbox: SQLite introspection would rebuild the table forever.
    purpose: { type: 'string', length: 32 },
    digest: { type: 'string', length: 128, unique: true },
    email: { type: 'string', length: 254, nullable: true },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
    expiresAt: { type: 'datetime', fieldName: 'expires_at', index: true },
  },
});
