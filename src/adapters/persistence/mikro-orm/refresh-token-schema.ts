import { EntitySchema } from '@mikro-orm/core';
import { RefreshToken } from '../../../domain/session/refresh-token.js';
import { AmrType } from './amr-type.js';

/** Rows of `refresh_tokens`; the foreign key to users (ON DELETE CASCADE) lives in the migrations. */
export const RefreshTokenSchema = new EntitySchema<RefreshToken>({
  class: RefreshToken,
  tableName: 'refresh_tokens',
  properties: {
    id: { type: 'uuid', primary: true },
    familyId: { type: 'uuid', fieldName: 'family_id', index: true },
    userId: { type: 'uuid', fieldName: 'user_id', index: true },
    tokenDigest: { type: 'string', length: 64, fieldName: 'token_digest', unique: true },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
    expiresAt: { type: 'datetime', fieldName: 'expires_at' },
    spentAt: { type: 'datetime', fieldName: 'spent_at', nullable: true },
    revokedAt: { type: 'datetime', fieldName: 'revoked_at', nullable: true },
    amr: { type: AmrType, length: 32, default: 'pwd' },
  },
});
