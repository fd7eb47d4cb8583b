import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { InMemoryMailer } from '../../adapters/mail/in-memory-mailer.js';
import { OutboxMailer } from '../../adapters/mail/outbox-mailer.js';
import { SmtpMailer } from '../../adapters/mail/smtp-mailer.js';
import type { Config } from '../config.js';
import { TOKENS as T } from './tokens.js';

/** The Mailer, by one exhaustive switch over MAIL_DRIVER. */
export function mailModule(config: Config, logger: Logger): ContainerModule {
  const { mail } = config;
  return new ContainerModule(({ bind }) => {
    const driver = mail.driver;
    switch (driver) {
      case 'outbox': {
        const settings = { ...mail.outbox, from: mail.smtp.from };
        bind(T.Mailer).toResolvedValue((clock) => new OutboxMailer(settings, clock, logger), [T.Clock]);
        return;
      }
      case 'smtp':
        bind(SmtpMailer)
          .toResolvedValue(() => new SmtpMailer(mail.smtp))
          .onDeactivation((mailer) => mailer.close());
        bind(T.Mailer).toService(SmtpMailer);
        return;
      case 'memory':
        bind(T.Mailer).toConstantValue(new InMemoryMailer());
        return;
      default: {
        const unreachable: never = driver;
        throw new Error(`unknown MAIL_DRIVER ${String(unreachable)}`);
      }
    }
  });
}
