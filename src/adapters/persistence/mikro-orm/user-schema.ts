import { EntitySchema } from '@mikro-orm/core';
import { ROLES } from '../../../domain/user/role.js';
import { User } from '../../../domain/user/user.js';

/**
 * Maps the plain domain `User` onto the `users` table for both SQL dialects. `uuid` becomes a native
 * uuid on PostgreSQL and varchar(36) on SQLite; `json` becomes jsonb on PostgreSQL and json text on
 * SQLite. The migrations under ./migrations are generated from this schema: change both together.
 */
export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: 'users',
  properties: {
    id: { type: 'uuid', primary: true },
    email: { type: 'string', length: 254, unique: 'users_email_unique' },
    name: { type: 'text' },
    role: { enum: true, items: () => [...ROLES], type: 'string' },
    profile: { type: 'json' },
    // hidden: MikroORM's own serializer (toJSON) must never emit the hash, whoever calls it.
    passwordHash: { type: 'string', length: 255, hidden: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    emailVerifiedAt: { type: 'datetime', nullable: true },
    // Sealed by the SecretCipher port; opaque here, and never plain.
    totpSecret: { type: 'text', nullable: true, hidden: true },
    totpEnabledAt: { type: 'datetime', nullable: true },
    // +1 on every write; conditional writes (If-Match) compare it in their WHERE clause.
    version: { type: 'integer', default: 1 },
  },
});
