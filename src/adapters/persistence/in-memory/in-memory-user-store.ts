import { invalidCursor, preconditionFailed } from '../../../domain/errors.js';
import type { FindOptions, UserPage, UserQuery, UserStore } from '../../../domain/ports/user-store.js';
import { compareUsers, isAfterKey, keyOf, matchesFilter } from '../../../domain/user/user-list.js';
import { isDeleted, User } from '../../../domain/user/user.js';
import { emailTaken, userNotFound } from '../../../domain/user/user-errors.js';
import { keepLifecycle } from '../lifecycle-fields.js';
import { isMalformedKey } from '../user-keys.js';

// Copies on the way in and out: a caller that mutates a user it holds must not change the store
// behind its back, exactly as with a real database.
const copy = (u: User) =>
  new User(
    u.id,
    u.email,
    u.name,
    u.role,
    structuredClone(u.profile),
    u.passwordHash,
    new Date(u.createdAt),
    new Date(u.updatedAt),
    u.emailVerifiedAt && new Date(u.emailVerifiedAt),
    u.totpSecret,
    u.totpEnabledAt && new Date(u.totpEnabledAt),
    u.version,
    u.status,
    u.deletedAt && new Date(u.deletedAt),
  );

/** For unit tests and `DB_DRIVER=memory`; holds the same contract as the SQL stores. */
export class InMemoryUserStore implements UserStore {
  private readonly users = new Map<string, User>();

  async create(user: User): Promise<void> {
    if (this.users.has(user.id)) throw new Error(`duplicate user id ${user.id}`);
    if (this.ownerOf(user.email) !== undefined) throw emailTaken();
    this.users.set(user.id, Object.assign(copy(user), { version: 1 }));
  }

  /** Checks the whole batch before storing any of it: all or nothing, as one SQL statement is. */
  async createMany(users: readonly User[]): Promise<void> {
    const ids = new Set(this.users.keys());
    const emails = new Set(Array.from(this.users.values(), (u) => u.email));
    for (const user of users) {
      if (ids.has(user.id)) throw new Error(`duplicate user id ${user.id}`);
      if (emails.has(user.email)) throw emailTaken();
      ids.add(user.id);
      emails.add(user.email);
    }
    for (const user of users) this.users.set(user.id, Object.assign(copy(user), { version: 1 }));
  }

  async update(user: User, expectedVersion?: number): Promise<void> {
    const current = this.users.get(user.id);
    if (!current) throw userNotFound();
    if (expectedVersion !== undefined && current.version !== expectedVersion) throw preconditionFailed();
    const owner = this.ownerOf(user.email);
    if (owner !== undefined && owner !== user.id) throw emailTaken();
    // Over a version the caller never read: its status and deletion stand (see UserStore).
    if (current.version !== user.version) keepLifecycle(user, current);
    user.version = current.version + 1;
    this.users.set(user.id, copy(user));
  }

  async findById(id: string, options: FindOptions = {}): Promise<User | null> {
    const user = this.users.get(id);
    return user && (options.withDeleted || !isDeleted(user)) ? copy(user) : null;
  }

  async findByEmail(email: string, options: FindOptions = {}): Promise<User | null> {
    const id = this.ownerOf(email);
    return id === undefined ? null : this.findById(id, options);
  }

  async list(query: UserQuery): Promise<UserPage> {
    const { after } = query;
    const sort = query.sort ?? 'createdAt';
    // Same answer as the SQL stores, where a non-UUID cannot even be compared with an id.
    if (after !== undefined && isMalformedKey(after, sort)) {
      throw invalidCursor();
    }
    const matching = [...this.users.values()]
      .filter((u) => matchesFilter(u, query) && (after === undefined || isAfterKey(u, after, sort)))
      .sort(compareUsers(sort));
    const items = matching.slice(0, query.limit).map(copy);
    const last = items.at(-1);
    return { items, last: matching.length > items.length && last ? keyOf(last, sort) : null };
  }

  async listDeletedBefore(before: Date, limit: number): Promise<User[]> {
    return [...this.users.values()]
      .filter((u) => u.deletedAt !== null && u.deletedAt < before)
      .sort((a, b) => a.deletedAt!.getTime() - b.deletedAt!.getTime())
      .slice(0, limit)
      .map(copy);
  }

  async delete(id: string, expectedVersion?: number): Promise<boolean> {
    const current = this.users.get(id);
    if (current && expectedVersion !== undefined && current.version !== expectedVersion) throw preconditionFailed();
    return this.users.delete(id);
  }

  private ownerOf(email: string): string | undefined {
    for (const user of this.users.values()) if (user.email === email) return user.id;
    return undefined;
  }
}
