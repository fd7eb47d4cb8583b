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
 */
export interface UserStore {
  create(user: User): Promise<void>;
  update(user: User): Promise<void>;
  findById(id: string): Promise<User | null>;
  findByEmail(email: string): Promise<User | null>;
  list(query: UserQuery): Promise<UserPage>;
  /** Returns false when no such user existed. */
  delete(id: string): Promise<boolean>;
}
