import type { Clock } from '../../domain/ports/clock.js';
import type { IdGenerator } from '../../domain/ports/id-generator.js';
import type { MailQueue } from '../../domain/ports/mail-queue.js';
import type { MailMessage } from '../../domain/ports/mailer.js';
import type { User } from '../../domain/user/user.js';
import {
  appLink,
  confirmEmailChangeMessage,
  emailChangeNoticeMessage,
  resetPasswordMessage,
  verifyEmailMessage,
} from './account-messages.js';
import type { AccountSettings } from './account-settings.js';
import type { AccountTokens } from './account-tokens.js';

/**
 * Issues a link token and queues the mail that carries it. Callers run it inside their unit of
 * work, so on SQL the token, the mail and the state change they belong to commit together: a
 * crash after the commit still sends the mail (the sender loop finds it), a crash before leaves none
 * of them. Links point at the client app (PUBLIC_APP_URL), never at the request's Host.
 */
export class AccountMail {
  constructor(
    private readonly tokens: AccountTokens,
    private readonly queue: MailQueue,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly settings: AccountSettings,
  ) {}

  /** A link proving `user.email` is theirs. */
  async verification(user: User): Promise<void> {
    const ttl = this.settings.ttlSeconds.verifyEmail;
    const token = await this.tokens.issue({
      userId: user.id,
      purpose: 'verify-email',
      email: user.email,
      ttlSeconds: ttl,
    });
    await this.send(verifyEmailMessage(user.email, this.link('verify-email', token), ttl));
  }

  /** A link that sets a new password. */
  async passwordReset(user: User): Promise<void> {
    const ttl = this.settings.ttlSeconds.resetPassword;
    const token = await this.tokens.issue({
      userId: user.id,
      purpose: 'reset-password',
      email: user.email,
      ttlSeconds: ttl,
    });
    await this.send(resetPasswordMessage(user.email, this.link('reset-password', token), ttl));
  }

  /** A link to the new address that makes it the account's, and a notice to the old one. */
  async emailChange(user: User, newEmail: string): Promise<void> {
    const ttl = this.settings.ttlSeconds.changeEmail;
    const token = await this.tokens.issue({
      userId: user.id,
      purpose: 'change-email',
      email: newEmail,
      ttlSeconds: ttl,
    });
    await this.send(confirmEmailChangeMessage(newEmail, this.link('confirm-email', token), ttl));
    await this.send(emailChangeNoticeMessage(user.email, newEmail));
  }

  private link(path: string, token: string): string {
    return appLink(this.settings.publicAppUrl, path, token);
  }

  private send(message: MailMessage): Promise<void> {
    return this.queue.enqueue(message, { id: this.ids.next(), now: this.clock.now() });
  }
}
