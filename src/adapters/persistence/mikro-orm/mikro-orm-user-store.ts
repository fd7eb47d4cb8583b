import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { validate as isUuid } from 'uuid';
import { invalidCursor, notFound, preconditionFailed } from '../../../domain/errors.js';
import type { FindOptions, UserPage, UserQuery, UserStore } from '../../../domain/ports/user-store.js';
import { isDescending, keyOf, prefixEnd, sortField } from '../../../domain/user/user-list.js';
import { User } from '../../../domain/user/user.js';
import { translateDbError } from './db-errors.js';
import { insertUsers } from './insert-users.js';
import { contextEm } from './transaction-scope.js';
import type { SqlParam } from './sql-statements.js';
import { keepLifecycle, withoutLifecycle } from '../lifecycle-fields.js';
import { isMalformedKey } from '../user-keys.js';
import { stored } from './stored-user.js';
import type { StoredUser } from './user-schema.js';
import { ANY_USER_BY_EMAIL, ANY_USER_BY_ID, USER_BY_EMAIL, USER_BY_ID, USERS_SELECT, userRows } from './user-rows.js';

const SORT_COLUMNS = { createdAt: 'u."created_at"', email: 'u."email"', name: 'u."name_key"' } as const;

/**
 * The list's statement for one query: a keyset scan in the sort's order, the id last (the
 * tiebreak), the limit a parameter. Its text depends only on which filters are present and the
 * sort, so there are a bounded number of them (and of prepared statements on PostgreSQL). Each
 * condition is a plain comparison on an indexed column (user-schema.ts): a prefix search is a range
 * (prefixEnd), never LIKE, so nothing in `q` is a pattern and every condition can use an index.
 * Exported for the EXPLAIN test (test/integration/contracts/user-list-plans.test.ts).
 */
export function listStatement(query: UserQuery, date: (d: Date) => SqlParam): [string, SqlParam[]] {
  const sort = query.sort ?? 'createdAt';
  const column = SORT_COLUMNS[sortField(sort)];
  const where: string[] = [];
  const params: SqlParam[] = [];
  const add = (condition: string, ...values: SqlParam[]) => {
    where.push(condition);
    params.push(...values);
  };
  if (query.status === undefined) add(`u."list_status" <> 'deleted'`);
  else add('u."list_status" = ?', query.status);
  if (query.role !== undefined) add('u."role" = ?', query.role);
  if (query.email !== undefined) add('u."email" = ?', query.email);
  if (query.q !== undefined) {
    const end = prefixEnd(query.q);
    add('((u."email" >= ? and u."email" < ?) or (u."name_key" >= ? and u."name_key" < ?))', query.q, end, query.q, end);
  }
  if (query.createdAfter !== undefined) add('u."created_at" > ?', date(query.createdAfter));
  if (query.createdBefore !== undefined) add('u."created_at" < ?', date(query.createdBefore));
  const direction = isDescending(sort) ? 'desc' : 'asc';
  if (query.after !== undefined) {
    const { value, id } = query.after;
    const key = sortField(sort) === 'createdAt' ? date(new Date(value)) : value;
    add(`(${column}, u."id") ${direction === 'asc' ? '>' : '<'} (?, ?)`, key, id);
  }
  // The limit goes as text, as pg sends every parameter anyway; SQLite takes '21' for LIMIT as 21.
  // One extra row tells whether another page follows, without a count query.
  params.push(String(query.limit + 1));
  const sql = `${USERS_SELECT} where ${where.join(' and ')} order by ${column} ${direction}, u."id" ${direction} limit ?`;
  return [sql, params];
}

const DELETED_BEFORE = `${USERS_SELECT} where u."list_status" = 'deleted' and u."deleted_at" < ? order by u."deleted_at" limit ?`;

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
    u.status,
    dateOrNull(u.deletedAt),
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
    return translateDbError(async () => void (await this.em().insert(User, { ...stored(detached(user)), version: 1 })));
  }

  /** One multi-row INSERT (insert-users.ts): atomic, so a duplicate email anywhere in the batch stores none of it. */
  createMany(users: readonly User[]): Promise<void> {
    if (users.length === 0) return Promise.resolve();
    return translateDbError(() => insertUsers(this.em(), users));
  }

  /**
   * Always `UPDATE ... WHERE id = ? AND version = ?`: with `expectedVersion` that is the If-Match
   * check, made by the database (a concurrent writer's row lock, then the WHERE seen again); without
   * it, a miss reads the current version and writes over it, so the version still counts every write,
   * but leaves that version's status and deletion as they are (see UserStore).
   */
  update(user: User, expectedVersion?: number): Promise<void> {
    const { id, createdAt: _kept, version: _read, ...changes } = stored(detached(user));
    return translateDbError(async () => {
      if (!isUuid(id)) throw notFound();
      let base = expectedVersion ?? user.version;
      let fields: Partial<StoredUser> = changes;
      while ((await this.em().nativeUpdate(User, { id, version: base }, { ...fields, version: base + 1 })) === 0) {
        const current = await this.findById(id, { withDeleted: true });
        if (!current) throw notFound();
        if (expectedVersion !== undefined) throw preconditionFailed();
        // Over a version the caller never read: its status and deletion stand (keptLifecycle).
        fields = withoutLifecycle(changes);
        keepLifecycle(user, current);
        base = current.version;
      }
      user.version = base + 1;
    });
  }

  findById(id: string, options: FindOptions = {}): Promise<User | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.findOneWhere(options.withDeleted ? ANY_USER_BY_ID : USER_BY_ID, id);
  }

  findByEmail(email: string, options: FindOptions = {}): Promise<User | null> {
    return this.findOneWhere(options.withDeleted ? ANY_USER_BY_EMAIL : USER_BY_EMAIL, email);
  }

  /** One raw keyset statement (listStatement), in the order user-list.ts's compareUsers defines. */
  list(query: UserQuery): Promise<UserPage> {
    const sort = query.sort ?? 'createdAt';
    const { after } = query;
    if (after !== undefined && isMalformedKey(after, sort)) {
      return Promise.reject(invalidCursor());
    }
    const platform = this.orm.em.getPlatform();
    const [sql, params] = listStatement(query, (d) => platform.processDateProperty(d) as SqlParam);
    return translateDbError(async () => {
      const rows = await userRows(this.orm, sql, params);
      const items = rows.length > query.limit ? rows.slice(0, query.limit) : rows;
      const last = items.at(-1);
      return { items, last: rows.length > query.limit && last ? keyOf(last, sort) : null };
    });
  }

  listDeletedBefore(before: Date, limit: number): Promise<User[]> {
    const platform = this.orm.em.getPlatform();
    return translateDbError(() =>
      userRows(this.orm, DELETED_BEFORE, [platform.processDateProperty(before) as SqlParam, String(limit)]),
    );
  }

  delete(id: string, expectedVersion?: number): Promise<boolean> {
    if (!isUuid(id)) return Promise.resolve(false);
    return translateDbError(async () => {
      if (expectedVersion === undefined) return (await this.em().nativeDelete(User, { id })) > 0;
      if ((await this.em().nativeDelete(User, { id, version: expectedVersion })) > 0) return true;
      if (await this.findById(id, { withDeleted: true })) throw preconditionFailed();
      return false;
    });
  }

  /** Bypasses the identity map (and the ORM: see user-rows.ts), so a read sees the last write. */
  private findOneWhere(sql: string, value: string): Promise<User | null> {
    return translateDbError(async () => (await userRows(this.orm, sql, [value]))[0] ?? null);
  }
}
