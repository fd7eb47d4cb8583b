import { EntitySchema, type OptionalProps } from '@mikro-orm/core';
import type { Profile } from '../../../domain/user/profile.js';
import { ROLES, type Role } from '../../../domain/user/role.js';
import { LIST_STATUSES, USER_STATUSES, type ListStatus, type UserStatus } from '../../../domain/user/status.js';

/**
 * One document of the `users` collection. `_id` holds the user's UUIDv7 as a string, so the id the
 * API shows is the primary key itself: ids sort (and `$gt` pages) in creation order on the built-in
 * `_id` index, and no second unique id field or ObjectId has to be kept in step with it. `id` is
 * MikroORM's serialized primary key, a virtual copy of `_id` that is never stored.
 */
export interface UserDocument {
  [OptionalProps]?: 'id';
  _id: string;
  id: string;
  email: string;
  name: string;
  role: Role;
  /** A sub-document, not a JSON string: the driver stores the object as BSON. */
  profile: Profile;
  passwordHash: string;
  createdAt: Date;
  updatedAt: Date;
  /** Absent in documents written before these fields existed: read as null. */
  emailVerifiedAt?: Date | null;
  totpSecret?: string | null;
  totpEnabledAt?: Date | null;
  /** +1 on every write; absent in documents written before versions existed, which read as 1. */
  version?: number;
  /** Absent in documents written before these fields existed: read as active, not deleted. */
  status?: UserStatus;
  deletedAt?: Date | null;
  /** What the admin list filters and sorts on (as on SQL, user-schema.ts): status or `deleted`, lower-cased name. */
  listStatus?: ListStatus;
  nameKey?: string;
}

/** Named so a duplicate-key error can be told apart from one on `_id`. */
export const USERS_EMAIL_INDEX = 'users_email_unique';

/**
 * A schema of its own, not a second mapping of the domain `User`: MikroORM decorates the mapped
 * class's prototype, and the SQL and Mongo ORMs must not fight over one class in one process.
 * Emails arrive trimmed and lower-cased (`Email.parse`), so a plain unique index is case-normalized.
 */
export const MongoUserSchema = new EntitySchema<UserDocument>({
  name: 'UserDocument',
  collection: 'users',
  // The list's sorts alone and after `role` or `listStatus` (as on SQL); the purge's scan.
  indexes: [
    { name: 'users_created_at_id', properties: ['createdAt', '_id'] },
    { name: 'users_name_key_id', properties: ['nameKey', '_id'] },
    { name: 'users_role_created_at_id', properties: ['role', 'createdAt', '_id'] },
    { name: 'users_role_email', properties: ['role', 'email'] },
    { name: 'users_role_name_key_id', properties: ['role', 'nameKey', '_id'] },
    { name: 'users_list_status_created_at_id', properties: ['listStatus', 'createdAt', '_id'] },
    { name: 'users_list_status_email', properties: ['listStatus', 'email'] },
    { name: 'users_list_status_name_key_id', properties: ['listStatus', 'nameKey', '_id'] },
    { name: 'users_deleted_at', properties: ['deletedAt'] },
  ],
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', serializedPrimaryKey: true },
    email: { type: 'string', unique: USERS_EMAIL_INDEX },
    name: { type: 'string' },
    role: { enum: true, items: () => [...ROLES], type: 'string' },
    profile: { type: 'json' },
    passwordHash: { type: 'string', hidden: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    version: { type: 'number', nullable: true },
    emailVerifiedAt: { type: 'datetime', nullable: true },
    totpSecret: { type: 'string', nullable: true, hidden: true },
    totpEnabledAt: { type: 'datetime', nullable: true },
    status: { enum: true, items: () => [...USER_STATUSES], type: 'string', nullable: true },
    deletedAt: { type: 'datetime', nullable: true },
    listStatus: { enum: true, items: () => [...LIST_STATUSES], type: 'string', nullable: true },
    nameKey: { type: 'string', nullable: true },
  },
});
