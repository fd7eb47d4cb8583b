import { tokenInvalid } from '../../domain/account/account-errors.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import type { AccountTokens } from './account-tokens.js';

/**
 * Follows a verification link. The token speaks for the address it was mailed to: once the
 * account's email has changed, an older link verifies nothing.
 */
export class VerifyEmail {
  constructor(
    private readonly tokens: AccountTokens,
    private readonly users: UserStore,
    private readonly clock: Clock,
  ) {}

  async execute(input: { token: string }): Promise<void> {
    const token = await this.tokens.find(input.token, 'verify-email');
    const user = token && (await this.users.findById(token.userId));
    if (!token || !user || user.email !== token.email) throw tokenInvalid();
    if (!(await this.tokens.consume(token))) throw tokenInvalid();
    if (user.emailVerifiedAt) return;
    const now = this.clock.now();
    user.emailVerifiedAt = now;
    user.updatedAt = now;
    await this.users.update(user);
  }
}
