import type { User } from '../user/user.js';

export interface UserPage {
  items: User[];
  /** The id of the last item when more follow, else null. */
  last: string | null;
}

export interface UserQuery {
  limit: number;
  /** Items strictly after this id (ids are UUIDv7, so id order is creation order). */
  after?: string;
  email?: string;
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
 * change nothing. Without it, `update` writes over whatever version is stored.
 */
export interface UserStore {
  create(user: User): Promise<void>;
  createMany(users: readonly User[]): Promise<void>;
  update(user: User, expectedVersion?: number): Promise<void>;
  findById(id: string): Promise<User | null>;
  findByEmail(email: string): Promise<User | null>;
  list(query: UserQuery): Promise<UserPage>;
  /** Returns false when no such user existed. */
  delete(id: string, expectedVersion?: number): Promise<boolean>;
}
