import type { UserStore } from '../../domain/ports/user-store.js';
import { isAdmin, type Actor, type User } from '../../domain/user/user.js';
import { userNotFound } from '../../domain/user/user-errors.js';
import { loadVisibleUser } from './access.js';

export class GetUser {
  constructor(private readonly users: UserStore) {}

  execute(input: { actor: Actor; id: string }): Promise<User> {
    // Read moments ago in this same request: a second read would see the same row.
    const { self } = input.actor;
    if (self && self.id === input.id) return Promise.resolve(self);
    // Admins see soft-deleted users too (to restore them); to anyone else they are gone.
    if (isAdmin(input.actor)) return this.users.findById(input.id, { withDeleted: true }).then(found);
    return loadVisibleUser(this.users, input.actor, input.id);
  }
}

function found(user: User | null): User {
  if (!user) throw userNotFound();
  return user;
}
