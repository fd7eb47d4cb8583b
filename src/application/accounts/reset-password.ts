import { tokenInvalid } from '../../domain/account/account-errors.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { PasswordHasher } from '../../domain/ports/password-hasher.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { Password } from '../../domain/user/password.js';
import type { RevokeUserSessions } from '../sessions/revoke-user-sessions.js';
import type { AccountTokens } from './account-tokens.js';

/**
 * Sets a new password from a mailed link. Every session of the user ends, and every other reset
 * link and pending MFA challenge of theirs dies with it. The link was mailed to the account's
 * address, so following it also proves that address. A link mailed to an address the account no
 * longer has does nothing.
 */
export class ResetPassword {
  constructor(
    private readonly tokens: AccountTokens,
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly unitOfWork: UnitOfWork,
    private readonly sessions: Pick<RevokeUserSessions, 'execute'>,
    private readonly clock: Clock,
  ) {}

  async execute(input: { token: string; newPassword: string }): Promise<void> {
    // A password the rules refuse costs nothing: the link stays usable for a better one.
    const password = Password.parse(input.newPassword, 'newPassword');
    const token = await this.tokens.find(input.token, 'reset-password');
    const user = token && (await this.users.findById(token.userId));
    if (!token || !user || user.email !== token.email) throw tokenInvalid();
    const hash = await this.hasher.hash(password.value);
    const now = this.clock.now();
    user.passwordHash = hash;
    user.emailVerifiedAt ??= now;
    user.updatedAt = now;
    await this.unitOfWork.run(async () => {
      if (!(await this.tokens.consume(token))) throw tokenInvalid();
      await this.users.update(user);
      await this.tokens.revokeAll(user.id, 'reset-password', 'change-email', 'mfa-challenge');
      await this.sessions.execute(user.id);
    });
  }
}
