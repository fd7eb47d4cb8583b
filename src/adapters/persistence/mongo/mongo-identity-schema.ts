import { EntitySchema, type OptionalProps } from '@mikro-orm/core';

/** One document of `identities`; `_id` is the identity's UUIDv7, as for users. */
export interface IdentityDocument {
  [OptionalProps]?: 'id';
  _id: string;
  id: string;
  userId: string;
  provider: string;
  subject: string;
  email: string | null;
  createdAt: Date;
}

/** The two unique keys the SQL table has: a provider account links once, a user links one account per provider. */
export const MongoIdentitySchema = new EntitySchema<IdentityDocument>({
  name: 'IdentityDocument',
  collection: 'identities',
  uniques: [
    { name: 'identities_provider_subject_unique', properties: ['provider', 'subject'] },
    { name: 'identities_user_id_provider_unique', properties: ['userId', 'provider'] },
  ],
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', serializedPrimaryKey: true },
    userId: { type: 'string' },
    provider: { type: 'string' },
    subject: { type: 'string' },
    email: { type: 'string', nullable: true },
    createdAt: { type: 'datetime' },
  },
});
