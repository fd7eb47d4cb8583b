import type { UserStore } from '../../domain/ports/user-store.js';
import type { Actor, User } from '../../domain/user/user.js';
import { loadVisibleUser } from './access.js';

export class GetUser {
  constructor(private readonly users: UserStore) {}

  execute(input: { actor: Actor; id: string }): Promise<User> {
    return loadVisibleUser(this.users, input.actor, input.id);
  }
}
