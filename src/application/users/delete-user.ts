import { notFound } from '../../domain/errors.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import type { Actor } from '../../domain/user/user.js';
import { loadVisibleUser } from './access.js';

/** Work tied to a user's lifecycle (delete their files, revoke their sessions). */
export type UserHook = (userId: string) => Promise<void>;

export class DeleteUser {
  constructor(
    private readonly users: UserStore,
    private readonly hooks: UserHook[] = [],
  ) {}

  async execute(input: { actor: Actor; id: string }): Promise<void> {
    await loadVisibleUser(this.users, input.actor, input.id);
    for (const hook of this.hooks) await hook(input.id);
    if (!(await this.users.delete(input.id))) throw notFound();
  }
}
