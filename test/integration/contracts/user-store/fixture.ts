import type { UserStore } from '../../../../src/domain/ports/user-store.js';
import type { User } from '../../../../src/domain/user/user.js';
import { aUser } from '../../../support/builders.js';

export interface UserStoreFixture {
  store: UserStore;
  cleanup(): Promise<void>;
}

const byId = (a: User, b: User) => (a.id < b.id ? -1 : 1);

/** `count` users created in `store` (newest id first, so insertion order is not id order), sorted by id. */
export async function createdIn(store: UserStore, count: number): Promise<User[]> {
  const users = Array.from({ length: count }, () => aUser());
  for (const user of [...users].reverse()) await store.create(user);
  return users.sort(byId);
}
