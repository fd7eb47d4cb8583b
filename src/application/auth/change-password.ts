import type { Clock } from '../../domain/ports/clock.js';
import type { PasswordHasher } from '../../domain/ports/password-hasher.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { Password } from '../../domain/user/password.js';
import type { Actor } from '../../domain/user/user.js';
import { userNotFound, wrongPassword } from '../../domain/user/user-errors.js';
import type { UserHook } from '../users/delete-user.js';

/** Only the account holder changes a password, and must prove the current one. */
export class ChangePassword {
  constructor(
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    /** Runs after the change: e.g. revoke every session of the user. */
    private readonly afterChange: UserHook[] = [],
  ) {}

  async execute(input: { actor: Actor; id: string; currentPassword: string; newPassword: string }): Promise<void> {
    if (input.actor.id !== input.id) throw userNotFound();
    const user = await this.users.findById(input.id);
    if (!user) throw userNotFound();
    const next = Password.parse(input.newPassword, 'newPassword');
    if (!(await this.hasher.verify(input.currentPassword.normalize('NFKC'), user.passwordHash))) {
      throw wrongPassword();
    }
    user.passwordHash = await this.hasher.hash(next.value);
    user.updatedAt = this.clock.now();
    await this.users.update(user);
    for (const hook of this.afterChange) await hook(user.id);
  }
}
