import { EntitySchema } from '@mikro-orm/core';
import { Identity } from '../../../domain/oidc/identity.js';

/**
 * Rows of `identities`: a provider account linked to a user. The foreign key to users (ON DELETE
 * CASCADE) lives in the migrations, hand-written, as for account_tokens.
 */
export const IdentitySchema = new EntitySchema<Identity>({
  class: Identity,
  tableName: 'identities',
  uniques: [
    { name: 'identities_provider_subject_unique', properties: ['provider', 'subject'] },
    { name: 'identities_user_id_provider_unique', properties: ['userId', 'provider'] },
  ],
  properties: {
    id: { type: 'uuid', primary: true },
    userId: { type: 'uuid', fieldName: 'user_id' },
    provider: { type: 'string', length: 32 },
    // OpenID Connect caps `sub` at 255 ASCII characters.
    subject: { type: 'string', length: 255 },
    email: { type: 'string', length: 254, nullable: true },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
  },
});
