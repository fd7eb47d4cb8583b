import type { Clock } from '../../domain/ports/clock.js';
import type { PasswordHasher } from '../../domain/ports/password-hasher.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { Password } from '../../domain/user/password.js';
import type { Actor } from '../../domain/user/user.js';
import { userNotFound, wrongPassword } from '../../domain/user/user-errors.js';
import type { RevokeUserSessions } from '../sessions/revoke-user-sessions.js';

/** Only the account holder changes a password, and must prove the current one; every session of theirs then ends. */
export class ChangePassword {
  constructor(
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly sessions: Pick<RevokeUserSessions, 'execute'>,
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
    await this.sessions.execute(user.id);
  }
}
