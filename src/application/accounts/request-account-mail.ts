import type { LoginThrottle } from '../../domain/ports/login-throttle.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import type { User } from '../../domain/user/user.js';
import type { AccountMail } from './account-mail.js';

/**
 * The two requests anyone may make for any address: a password-reset link and a new verification
 * link. They answer the same whether or not the account exists (the route also evens out the
 * time), and each request costs one try per address and per client whatever its outcome, so they
 * can neither enumerate accounts nor flood a mailbox.
 */
abstract class RequestAccountMail {
  constructor(
    private readonly users: UserStore,
    protected readonly mail: AccountMail,
    private readonly unitOfWork: UnitOfWork,
    private readonly throttle: LoginThrottle,
  ) {}

  async execute(input: { email: string; client?: string }): Promise<void> {
    const account = input.email.trim().toLowerCase();
    await this.throttle.consume({ account, client: input.client ?? 'unknown' });
    const user = await this.users.findByEmail(account);
    if (!user || !this.wanted(user)) return;
    await this.unitOfWork.run(() => this.send(user));
  }

  protected abstract wanted(user: User): boolean;
  protected abstract send(user: User): Promise<void>;
}

/** POST /v1/auth/password/forgot: a reset link, if the account exists. */
export class ForgotPassword extends RequestAccountMail {
  protected wanted(): boolean {
    return true;
  }

  protected send(user: User): Promise<void> {
    return this.mail.passwordReset(user);
  }
}

/** POST /v1/auth/email/verify/resend: a new verification link, if the account exists and is unverified. */
export class ResendVerification extends RequestAccountMail {
  protected wanted(user: User): boolean {
    return user.emailVerifiedAt === null;
  }

  protected send(user: User): Promise<void> {
    return this.mail.verification(user);
  }
}
