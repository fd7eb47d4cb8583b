import type { MikroORM } from '@mikro-orm/core';
import { validate as isUuid } from 'uuid';
import type { ActiveUsers } from '../../../domain/ports/active-users.js';
import type { User } from '../../../domain/user/user.js';
import { translateDbError } from './db-errors.js';
import { USER_COLUMNS, userRows } from './user-rows.js';

const ACTIVE_SESSION = 'not exists (select 1 from "refresh_tokens" r where r."family_id" = ? and r."revoked_at" is not null)';
// Built once: the same string on every call is looked up (user-rows.ts) without hashing it again.
const USER = `select ${USER_COLUMNS} from "users" u where u."id" = ?`;
const USER_IN_SESSION = `${USER} and ${ACTIVE_SESSION}`;

/** The user and the session checked in one statement: the per-request cost of authentication. */
export class MikroOrmActiveUsers implements ActiveUsers {
  constructor(private readonly orm: MikroORM) {}

  find(userId: string, sessionId?: string): Promise<User | null> {
    // Ids that are not UUIDs cannot exist (PostgreSQL would refuse the comparison).
    if (!isUuid(userId) || (sessionId !== undefined && !isUuid(sessionId))) return Promise.resolve(null);
    const [sql, params] = sessionId === undefined ? [USER, [userId]] : [USER_IN_SESSION, [userId, sessionId]];
    return translateDbError(async () => (await userRows(this.orm, sql, params))[0] ?? null);
  }
}
