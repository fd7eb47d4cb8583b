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
 * Where users live. `create` and `update` throw DomainError USER.EMAIL_TAKEN on a duplicate email;
 * any adapter that cannot reach its backend throws DomainError DB.UNAVAILABLE.
 *
 * Every write of a user adds 1 to its stored `version` (1 at creation); `update` sets the written
 * user's `version` to the one stored. With `expectedVersion`, `update` and `delete` happen only if
 * the stored version is still that one, checked atomically in the store (of concurrent writers
 * expecting the same version exactly one succeeds); otherwise they throw PRECONDITION.FAILED and
 * change nothing. Without it, `update` writes over whatever version is stored.
 */
export interface UserStore {
  create(user: User): Promise<void>;
  update(user: User, expectedVersion?: number): Promise<void>;
  findById(id: string): Promise<User | null>;
  findByEmail(email: string): Promise<User | null>;
  list(query: UserQuery): Promise<UserPage>;
  /** Returns false when no such user existed. */
  delete(id: string, expectedVersion?: number): Promise<boolean>;
}
