import type { EntityManager, FilterQuery, MikroORM } from '@mikro-orm/core';
import { validate as isUuid } from 'uuid';
import { invalidCursor, notFound } from '../../../domain/errors.js';
import type { UserPage, UserQuery, UserStore } from '../../../domain/ports/user-store.js';
import { User } from '../../../domain/user/user.js';
import { translateDbError } from './db-errors.js';
import { contextEm } from './transaction-scope.js';
import { USER_BY_EMAIL, USER_BY_ID, userRows } from './user-rows.js';

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
    return translateDbError(async () => void (await this.em().insert(User, detached(user))));
  }

  update(user: User): Promise<void> {
    const { id, createdAt: _kept, ...changes } = detached(user);
    return translateDbError(async () => {
      const changed = isUuid(id) ? await this.em().nativeUpdate(User, { id }, changes) : 0;
      if (changed === 0) throw notFound();
    });
  }

  findById(id: string): Promise<User | null> {
    return isUuid(id) ? this.findOneWhere(USER_BY_ID, id) : Promise.resolve(null);
  }

  findByEmail(email: string): Promise<User | null> {
    return this.findOneWhere(USER_BY_EMAIL, email);
  }

  list(query: UserQuery): Promise<UserPage> {
    const { after, email, limit } = query;
    if (after !== undefined && !isUuid(after)) {
      return Promise.reject(invalidCursor());
    }
    const where: FilterQuery<User> = {
      ...(after === undefined ? {} : { id: { $gt: after } }),
      ...(email === undefined ? {} : { email }),
    };
    return translateDbError(async () => {
      // One extra row tells whether another page follows, without a count query.
      const rows = await this.em().find(User, where, {
        orderBy: { id: 'asc' },
        limit: limit + 1,
        disableIdentityMap: true,
      });
      const items = rows.slice(0, limit).map(detached);
      return { items, last: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
    });
  }

  delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return Promise.resolve(false);
    return translateDbError(async () => (await this.em().nativeDelete(User, { id })) > 0);
  }

  /** Bypasses the identity map (and the ORM: see user-rows.ts), so a read sees the last write. */
  private findOneWhere(sql: string, value: string): Promise<User | null> {
    return translateDbError(async () => (await userRows(this.orm, sql, [value]))[0] ?? null);
  }
}
