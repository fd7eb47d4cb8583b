import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { validate as isUuid } from 'uuid';
import { invalidCursor, notFound, preconditionFailed } from '../../../domain/errors.js';
import type { UserPage, UserQuery, UserStore } from '../../../domain/ports/user-store.js';
import { User } from '../../../domain/user/user.js';
import { translateDbError } from './db-errors.js';
import { insertUsers } from './insert-users.js';
import { contextEm } from './transaction-scope.js';
import { USER_BY_EMAIL, USER_BY_ID, userRows } from './user-rows.js';

// The list's statements, built once: a fixed handful of texts (so of prepared statements on
// PostgreSQL), the limit a parameter. Keyset on the primary key: ids are UUIDv7, so id order is
// creation order. The columns are user-rows.ts's, read from its by-id statement.
const USERS = USER_BY_ID.slice(0, USER_BY_ID.indexOf(' where '));
const PAGE = 'order by u."id" limit ?';
const USERS_PAGE = `${USERS} ${PAGE}`;
const USERS_PAGE_AFTER = `${USERS} where u."id" > ? ${PAGE}`;
const USERS_PAGE_BY_EMAIL = `${USERS} where u."email" = ? ${PAGE}`;
const USERS_PAGE_BY_EMAIL_AFTER = `${USERS} where u."email" = ? and u."id" > ? ${PAGE}`;

// Callers get plain domain objects, never entities managed by some EntityManager.
const detached = (u: User) =>
  new User(
    u.id,
    u.email,
    u.name,
    u.role,
    u.profile,
    u.passwordHash,
    new Date(u.createdAt),
    new Date(u.updatedAt),
    dateOrNull(u.emailVerifiedAt),
    u.totpSecret ?? null,
    dateOrNull(u.totpEnabledAt),
    u.version,
  );
const dateOrNull = (d: Date | null | undefined) => (d == null ? null : new Date(d));

/**
 * Every write is one native statement (no unit of work left holding a failed insert), and reads
 * bypass the identity map, so within a request a read always sees what the last write did.
 * Ids that are not UUIDs cannot exist (PostgreSQL would reject the comparison), so they miss.
 * Inside a unit of work every operation runs in its transaction (see transaction-scope.ts).
 */
export class MikroOrmUserStore implements UserStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return contextEm(this.orm);
  }

  create(user: User): Promise<void> {
    return translateDbError(async () => void (await this.em().insert(User, { ...detached(user), version: 1 })));
  }

  /** One multi-row INSERT (insert-users.ts): atomic, so a duplicate email anywhere in the batch stores none of it. */
  createMany(users: readonly User[]): Promise<void> {
    if (users.length === 0) return Promise.resolve();
    return translateDbError(() => insertUsers(this.em(), users));
  }

  /**
   * Always `UPDATE ... WHERE id = ? AND version = ?`: with `expectedVersion` that is the If-Match
   * check, made by the database (a concurrent writer's row lock, then the WHERE seen again); without
   * it, a miss reads the current version and writes over it, so the version still counts every write.
   */
  update(user: User, expectedVersion?: number): Promise<void> {
    const { id, createdAt: _kept, version: _read, ...changes } = detached(user);
    return translateDbError(async () => {
      if (!isUuid(id)) throw notFound();
      let base = expectedVersion ?? user.version;
      while ((await this.em().nativeUpdate(User, { id, version: base }, { ...changes, version: base + 1 })) === 0) {
        const current = await this.findById(id);
        if (!current) throw notFound();
        if (expectedVersion !== undefined) throw preconditionFailed();
        base = current.version;
      }
      user.version = base + 1;
    });
  }

  findById(id: string): Promise<User | null> {
    return isUuid(id) ? this.findOneWhere(USER_BY_ID, id) : Promise.resolve(null);
  }

  findByEmail(email: string): Promise<User | null> {
    return this.findOneWhere(USER_BY_EMAIL, email);
  }

  /** One raw keyset statement (user-rows.ts), one of four fixed texts whatever the limit. */
  list(query: UserQuery): Promise<UserPage> {
    const { after, email, limit } = query;
    if (after !== undefined && !isUuid(after)) {
      return Promise.reject(invalidCursor());
    }
    // The limit goes as text, as pg sends every parameter anyway; SQLite takes '21' for LIMIT as 21.
    const rowLimit = String(limit + 1);
    const [sql, params] =
      email === undefined
        ? after === undefined
          ? [USERS_PAGE, [rowLimit]]
          : [USERS_PAGE_AFTER, [after, rowLimit]]
        : after === undefined
          ? [USERS_PAGE_BY_EMAIL, [email, rowLimit]]
          : [USERS_PAGE_BY_EMAIL_AFTER, [email, after, rowLimit]];
    return translateDbError(async () => {
      // One extra row tells whether another page follows, without a count query.
      const rows = await userRows(this.orm, sql, params);
      const items = rows.length > limit ? rows.slice(0, limit) : rows;
      return { items, last: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
    });
  }

  delete(id: string, expectedVersion?: number): Promise<boolean> {
    if (!isUuid(id)) return Promise.resolve(false);
    return translateDbError(async () => {
      if (expectedVersion === undefined) return (await this.em().nativeDelete(User, { id })) > 0;
      if ((await this.em().nativeDelete(User, { id, version: expectedVersion })) > 0) return true;
      if (await this.findById(id)) throw preconditionFailed();
      return false;
    });
  }

  /** Bypasses the identity map (and the ORM: see user-rows.ts), so a read sees the last write. */
  private findOneWhere(sql: string, value: string): Promise<User | null> {
    return translateDbError(async () => (await userRows(this.orm, sql, [value]))[0] ?? null);
  }
}
