import type { MikroORM } from '@mikro-orm/core';
import { validate as isUuid } from 'uuid';
import type { ActiveUsers } from '../../../domain/ports/active-users.js';
import type { User } from '../../../domain/user/user.js';
import { translateDbError } from './db-errors.js';
import { USER_BY_ID, userRows } from './user-rows.js';

const ACTIVE_SESSION =
  'not exists (select 1 from "refresh_tokens" r where r."family_id" = ? and r."revoked_at" is not null)';
const USER_IN_SESSION = `${USER_BY_ID} and ${ACTIVE_SESSION}`;

/** The user and the session checked in one statement: the per-request cost of authentication. */
export class MikroOrmActiveUsers implements ActiveUsers {
  constructor(private readonly orm: MikroORM) {}

  find(userId: string, sessionId?: string): Promise<User | null> {
    // Ids that are not UUIDs cannot exist (PostgreSQL would refuse the comparison).
    if (!isUuid(userId) || (sessionId !== undefined && !isUuid(sessionId))) return Promise.resolve(null);
    const [sql, params] = sessionId === undefined ? [USER_BY_ID, [userId]] : [USER_IN_SESSION, [userId, sessionId]];
    return translateDbError(async () => (await userRows(this.orm, sql, params))[0] ?? null);
  }
}
