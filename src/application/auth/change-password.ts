import type { Clock } from '../../domain/ports/clock.js';
import type { PasswordHasher } from '../../domain/ports/password-hasher.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { Password } from '../../domain/user/password.js';
import type { Actor } from '../../domain/user/user.js';
import { userNotFound, wrongPassword } from '../../domain/user/user-errors.js';
import type { AccountTokens } from '../accounts/account-tokens.js';
import type { RevokeUserSessions } from '../sessions/revoke-user-sessions.js';

/**
 * Only the account holder changes a password, and must prove the current one; every session of
 * theirs then ends, and so do reset links, email changes and MFA challenges still out.
 */
export class ChangePassword {
  constructor(
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly sessions: Pick<RevokeUserSessions, 'execute'>,
    private readonly tokens: Pick<AccountTokens, 'revokeAll'>,
    private readonly unitOfWork: UnitOfWork,
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
    await this.unitOfWork.run(async () => {
      await this.users.update(user);
      // A reset link mailed before is for a password that is no longer the one to recover; an email
      // change asked for by whoever held the old password must not go through either.
      await this.tokens.revokeAll(user.id, 'reset-password', 'change-email', 'mfa-challenge');
      await this.sessions.execute(user.id);
    });
  }
}
