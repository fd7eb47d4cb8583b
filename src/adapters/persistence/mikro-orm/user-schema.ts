import { EntitySchema, type Constructor } from '@mikro-orm/core';
import { ROLES } from '../../../domain/user/role.js';
import { USER_STATUSES } from '../../../domain/user/status.js';
import { User } from '../../../domain/user/user.js';

/**
 * What the admin list sorts and filters on, kept with each user by the store's writes (the domain
 * `User` has no such fields): `listStatus` is `status`, or `deleted` once soft-deleted; `nameKey`
 * is the lower-cased name (user-list.ts's nameKey).
 */
export type StoredUser = User & { listStatus: string; nameKey: string };

/** Each sort alone, and `role` or `listStatus` before each sort: the list's keyset scans (see the EXPLAIN test). */
const LIST_INDEXES: (keyof StoredUser & string)[][] = [
  ['createdAt', 'id'],
  ['nameKey', 'id'],
  ['role', 'createdAt', 'id'],
  ['role', 'email'],
  ['role', 'nameKey', 'id'],
  ['listStatus', 'createdAt', 'id'],
  ['listStatus', 'email'],
  ['listStatus', 'nameKey', 'id'],
];
const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Maps the plain domain `User` onto the `users` table for both SQL dialects. `uuid` becomes a native
 * uuid on PostgreSQL and varchar(36) on SQLite; `json` becomes jsonb on PostgreSQL and json text on
 * SQLite. The migrations under ./migrations are generated from this schema: change both together.
 */
export const UserSchema = new EntitySchema<StoredUser>({
  // The domain class, with the two list columns as extra stored properties the store writes.
  class: User as Constructor<StoredUser>,
  tableName: 'users',
  indexes: [
    ...LIST_INDEXES.map((properties) => ({ name: `users_${properties.map(snake).join('_')}_index`, properties })),
    // The purge's scan for users past the restore window.
    { name: 'users_deleted_at_index', properties: ['deletedAt'] },
  ],
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
    status: { enum: true, items: () => [...USER_STATUSES], type: 'string', default: 'active' },
    deletedAt: { type: 'datetime', nullable: true },
    // Plain text, no check: MikroORM 6.6 misreads an SQLite check of three values and would rebuild the
    // table at every schema diff; the store alone writes it (stored-user.ts), from LIST_STATUSES.
    listStatus: { type: 'text', default: 'active' },
    nameKey: { type: 'text', default: '' },
  },
});
