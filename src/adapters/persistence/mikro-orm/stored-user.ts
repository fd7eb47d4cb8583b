import { nameKey } from '../../../domain/user/user-list.js';
import { listStatusOf } from '../../../domain/user/status.js';
import type { User } from '../../../domain/user/user.js';
import type { StoredUser } from './user-schema.js';

/** A user with the list columns every write keeps in step (user-schema.ts). */
export const stored = (user: User): StoredUser =>
  Object.assign(Object.create(Object.getPrototypeOf(user) as object) as StoredUser, user, {
    listStatus: listStatusOf(user),
    nameKey: nameKey(user.name),
  });
