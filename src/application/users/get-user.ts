import type { UserStore } from '../../domain/ports/user-store.js';
import { isAdmin, type Actor, type User } from '../../domain/user/user.js';
import { loadVisibleUser } from './access.js';

export class GetUser {
  constructor(private readonly users: UserStore) {}

  execute(input: { actor: Actor; id: string }): Promise<User> {
    // Read moments ago in this same request: a second read would see the same row.
    const { self } = input.actor;
    if (self && self.id === input.id) return Promise.resolve(self);
    // Admins see soft-deleted users too (to restore them); to anyone else they are gone.
    return loadVisibleUser(this.users, input.actor, input.id, { withDeleted: isAdmin(input.actor) });
  }
}
