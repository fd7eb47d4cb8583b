import { BigIntType, EntitySchema } from '@mikro-orm/core';

/** One row of `passkeys`: the credential id (base64url, up to 1023 bytes encoded) is the key. */
export interface PasskeyRow {
  id: string;
  userId: string;
  publicKey: Buffer;
  counter: number;
  /** Comma-separated ('hybrid,internal'); empty when the browser reported none. */
  transports: string;
  deviceType: string;
  backedUp: boolean;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** At most 1023 bytes of credential id, base64url without padding. */
export const CREDENTIAL_ID_MAX = 1364;

/**
 * Rows of `passkeys`. The foreign key to users (ON DELETE CASCADE: a deleted user's passkeys go
 * with them) lives in the migrations, hand-written, as for account_tokens. The counter is a bigint:
 * WebAuthn's is an unsigned 32-bit number, past PostgreSQL's `integer`.
 */
export const PasskeySchema = new EntitySchema<PasskeyRow>({
  name: 'PasskeyRow',
  tableName: 'passkeys',
  properties: {
    id: { type: 'string', length: CREDENTIAL_ID_MAX, primary: true },
    userId: { type: 'uuid', fieldName: 'user_id', index: true },
    publicKey: { type: 'blob', fieldName: 'public_key' },
    counter: { type: new BigIntType('number'), default: 0 },
    transports: { type: 'string', length: 128 },
    deviceType: { type: 'string', length: 16, fieldName: 'device_type' },
    backedUp: { type: 'boolean', fieldName: 'backed_up' },
    name: { type: 'string', length: 100 },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
    lastUsedAt: { type: 'datetime', fieldName: 'last_used_at', nullable: true },
  },
});

export interface PasskeyChallengeRow {
  id: string;
  ceremony: string;
  userId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** Rows of `passkey_challenges`: the challenge (base64url of 32 bytes) is the key; user_id cascades too. */
export const PasskeyChallengeSchema = new EntitySchema<PasskeyChallengeRow>({
  name: 'PasskeyChallengeRow',
  tableName: 'passkey_challenges',
  properties: {
    id: { type: 'string', length: 64, primary: true },
    ceremony: { type: 'string', length: 16 },
    userId: { type: 'uuid', fieldName: 'user_id', nullable: true },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
    expiresAt: { type: 'datetime', fieldName: 'expires_at', index: true },
  },
});
