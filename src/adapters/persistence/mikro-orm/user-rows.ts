import type { MikroORM } from '@mikro-orm/core';
import type { Profile } from '../../../domain/user/profile.js';
import type { Role } from '../../../domain/user/role.js';
import type { UserStatus } from '../../../domain/user/status.js';
import { User } from '../../../domain/user/user.js';
import { runStatement, type SqlParam } from './sql-statements.js';

/**
 * The hot reads (a user by id or email, the user behind an access token, the list) as plain
 * statements (sql-statements.ts). The names below are those UserSchema maps (and the migrations
 * create); change them together.
 */
const USER_COLUMNS =
  'u."id", u."email", u."name", u."role", u."profile", u."password_hash", u."created_at", u."updated_at", ' +
  'u."email_verified_at", u."totp_secret", u."totp_enabled_at", u."version", u."status", u."deleted_at"';
export const USERS_SELECT = `select ${USER_COLUMNS} from "users" u`;
/** Built once, so every call passes the same string and its statement is found without hashing the text again. */
export const USER_BY_ID = `${USERS_SELECT} where u."id" = ? and u."deleted_at" is null`;
export const USER_BY_EMAIL = `${USERS_SELECT} where u."email" = ? and u."deleted_at" is null`;
/** Soft-deleted users too. */
export const ANY_USER_BY_ID = `${USERS_SELECT} where u."id" = ?`;
export const ANY_USER_BY_EMAIL = `${USERS_SELECT} where u."email" = ?`;

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** jsonb arrives parsed (PostgreSQL); SQLite's json column arrives as text. */
  profile: Profile | string;
  password_hash: string;
  /** PostgreSQL: timestamptz text (the ORM's type parsers); SQLite: epoch milliseconds. */
  created_at: string | number;
  updated_at: string | number;
  email_verified_at: string | number | null;
  totp_secret: string | null;
  totp_enabled_at: string | number | null;
  version: number;
  status: UserStatus;
  deleted_at: string | number | null;
}

/** Users read by one parameterized statement (`?` placeholders), the same way on PostgreSQL and SQLite. */
export async function userRows(orm: MikroORM, sql: string, params: readonly SqlParam[]): Promise<User[]> {
  const { rows } = await runStatement<UserRow>(orm, sql, params);
  const platform = orm.em.getPlatform();
  const dateOrNull = (value: string | number | null) => (value === null ? null : platform.parseDate(value));
  return rows.map(
    (r) =>
      new User(
        r.id,
        r.email,
        r.name,
        r.role,
        typeof r.profile === 'string' ? (JSON.parse(r.profile) as Profile) : r.profile,
        r.password_hash,
        platform.parseDate(r.created_at),
        platform.parseDate(r.updated_at),
        dateOrNull(r.email_verified_at),
        r.totp_secret,
        dateOrNull(r.totp_enabled_at),
        Number(r.version),
        r.status,
        dateOrNull(r.deleted_at),
      ),
  );
}
