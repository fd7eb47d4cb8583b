import { EntitySchema, type OptionalProps } from '@mikro-orm/core';

/**
 * One document of `passkeys`; `_id` is the credential id (base64url), unique by being the key. The
 * public key is kept as base64url text, as the credential id is: FerretDB and MongoDB read it alike.
 */
export interface PasskeyDocument {
  [OptionalProps]?: 'id';
  _id: string;
  id: string;
  userId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export const MongoPasskeySchema = new EntitySchema<PasskeyDocument>({
  name: 'PasskeyDocument',
  collection: 'passkeys',
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', serializedPrimaryKey: true },
    userId: { type: 'string', index: 'passkeys_user_id_index' },
    publicKey: { type: 'string' },
    counter: { type: 'number' },
    transports: { type: 'json' },
    deviceType: { type: 'string' },
    backedUp: { type: 'boolean' },
    name: { type: 'string' },
    createdAt: { type: 'datetime' },
    lastUsedAt: { type: 'datetime', nullable: true },
  },
});

/** One document of `passkey_challenges`; `_id` is the challenge itself. */
export interface PasskeyChallengeDocument {
  [OptionalProps]?: 'id';
  _id: string;
  id: string;
  ceremony: string;
  userId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export const MongoPasskeyChallengeSchema = new EntitySchema<PasskeyChallengeDocument>({
  name: 'PasskeyChallengeDocument',
  collection: 'passkey_challenges',
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', serializedPrimaryKey: true },
    ceremony: { type: 'string' },
    userId: { type: 'string', nullable: true },
    createdAt: { type: 'datetime' },
    expiresAt: { type: 'datetime', index: 'passkey_challenges_expires_at_index' },
  },
});

/**
 * One document of `passkey_challenge_uses`: that a challenge was answered. Its `_id` is the
 * challenge, so exactly one concurrent insert wins, on MongoDB and FerretDB alike (FerretDB v1 does
 * not apply a conditional delete atomically; see mongo-account-token-schema.ts). Kept until the
 * challenge would have expired.
 */
export interface PasskeyChallengeUseDocument {
  [OptionalProps]?: 'id';
  _id: string;
  id: string;
  expiresAt: Date;
}

export const MongoPasskeyChallengeUseSchema = new EntitySchema<PasskeyChallengeUseDocument>({
  name: 'PasskeyChallengeUseDocument',
  collection: 'passkey_challenge_uses',
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', serializedPrimaryKey: true },
    expiresAt: { type: 'datetime', index: 'passkey_challenge_uses_expires_at_index' },
  },
});
