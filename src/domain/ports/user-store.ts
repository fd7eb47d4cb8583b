import type { UserFilter, UserKey, UserSort } from '../user/user-list.js';
import type { User } from '../user/user.js';

export interface UserPage {
  items: User[];
  /** The last item's position when more follow, else null. */
  last: UserKey | null;
}

export interface UserQuery extends UserFilter {
  limit: number;
  /** Default `createdAt`; every sort ends on the id (user-list.ts has the exact order). */
  sort?: UserSort;
  /** Items strictly after this position in `sort`. */
  after?: UserKey;
}

export interface FindOptions {
  /** Soft-deleted users too (admins, restore, the purge); without it they are not found. */
  withDeleted?: boolean;
}

/**
 * Where users live. `create`, `createMany` and `update` throw DomainError USER.EMAIL_TAKEN on a
 * duplicate email; any adapter that cannot reach its backend throws DomainError DB.UNAVAILABLE.
 *
 * `createMany` creates a batch (bulk seeding) as `create` creates one user, version 1 each, and is
 * all-or-nothing: a duplicate email, against a stored user or within the batch, stores none of them.
 * The SQL stores send one statement, so the batch's size is bounded by the driver's bound parameters
 * (SQLite: 32,766, about 2,700 users of 12 columns).
 *
 * Every write of a user adds 1 to its stored `version` (1 at creation); `update` sets the written
 * user's `version` to the one stored. With `expectedVersion`, `update` and `delete` happen only if
 * the stored version is still that one, checked atomically in the store (of concurrent writers
 * expecting the same version exactly one succeeds); otherwise they throw PRECONDITION.FAILED and
 * change nothing. Without it, `update` writes over whatever version is stored, except a newer
 * version's `status` and `deletedAt`, which it keeps (and sets on the written user): a write made
 * from a stale read never re-enables, restores or un-deletes a user. Those two change only through
 * a write over the version read (UpdateUser, DeleteUser, RestoreUser pass it and retry).
 *
 * Soft-deleted users (`deletedAt` set) are written by `update` like any other, found only with
 * `withDeleted`, listed only under `status: 'deleted'`, and keep their email taken. `delete` removes
 * a user for good. `list` filters and orders exactly as user-list.ts's `matchesFilter` and
 * `compareUsers` say; a malformed `after` (not a UUID id, not a date for createdAt) is
 * REQUEST.INVALID (invalidCursor).
 */
export interface UserStore {
  create(user: User): Promise<void>;
  createMany(users: readonly User[]): Promise<void>;
  update(user: User, expectedVersion?: number): Promise<void>;
  findById(id: string, options?: FindOptions): Promise<User | null>;
  findByEmail(email: string, options?: FindOptions): Promise<User | null>;
  list(query: UserQuery): Promise<UserPage>;
  /** Soft-deleted users deleted before `before`, oldest deletion first, at most `limit`. */
  listDeletedBefore(before: Date, limit: number): Promise<User[]>;
  /** Returns false when no such user existed. */
  delete(id: string, expectedVersion?: number): Promise<boolean>;
}
