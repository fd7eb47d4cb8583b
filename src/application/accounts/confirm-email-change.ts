import { tokenInvalid } from '../../domain/account/account-errors.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { emailTaken } from '../../domain/user/user-errors.js';
import type { AccountTokens } from './account-tokens.js';

/**
 * Follows the link mailed to a new address: it becomes the account's email, verified (the link
 * proves it). Links still out for the old address (verification, reset) and other pending changes
 * die. An address another account took meanwhile is refused (409) and the link stays usable.
 */
export class ConfirmEmailChange {
  constructor(
    private readonly tokens: AccountTokens,
    private readonly users: UserStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(input: { token: string }): Promise<void> {
    const token = await this.tokens.find(input.token, 'change-email');
    const user = token && (await this.users.findById(token.userId));
    if (!token?.email || !user) throw tokenInvalid();
    const owner = await this.users.findByEmail(token.email, { withDeleted: true });
    if (owner && owner.id !== user.id) throw emailTaken();
    const now = this.clock.now();
    user.email = token.email;
    user.emailVerifiedAt = now;
    user.updatedAt = now;
    await this.unitOfWork.run(async () => {
      if (!(await this.tokens.consume(token))) throw tokenInvalid();
      // The store's unique index still guards the race with a registration: 409, and on SQL the
      // link is not spent either (the transaction rolls back).
      await this.users.update(user);
      await this.tokens.revokeAll(user.id, 'change-email', 'verify-email', 'reset-password');
    });
  }
}
