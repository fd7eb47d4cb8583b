import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Clock } from '../../domain/ports/clock.js';
import { MailDeliveryError, type Mailer, type MailMessage } from '../../domain/ports/mailer.js';

export interface OutboxSettings {
  /** Absolute; created when missing. */
  dir: string;
  from: string;
  /** Log the first link of each message (development: the link a user would click). */
  logLinks: boolean;
}

export interface OutboxLog {
  info(fields: object, message: string): void;
}

const FIRST_URL = /https?:\/\/[^\s<>"]+/;

/**
 * The embedded mailer: each message becomes an RFC 5322 `.eml` file in the outbox, which any mail
 * client opens. Written to a temporary name and renamed, so a reader never sees half a message.
 */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly settings: OutboxSettings,
    private readonly clock: Clock,
    private readonly log: OutboxLog,
  ) {}

  async send(message: MailMessage): Promise<void> {
    const { dir, from, logLinks } = this.settings;
    const date = this.clock.now();
    const name = `${date.toISOString().replace(/[-:.]/g, '')}-${randomBytes(6).toString('hex')}.eml`;
    const file = path.join(dir, name);
    const temporary = path.join(dir, `.${name}.tmp`);
    try {
      const { to, subject, text, html } = message;
      const fields = { from, date, to, subject, text, html, disableFileAccess: true, disableUrlAccess: true };
      const eml = await new MailComposer(fields).compile().build();
      await mkdir(dir, { recursive: true });
      await writeFile(temporary, eml, { flag: 'wx' });
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      throw new MailDeliveryError(`outbox: could not write ${name}: ${reason}`, false, { cause: error });
    }
    const link = logLinks ? FIRST_URL.exec(message.text)?.[0] : undefined;
    this.log.info({ file, ...(link ? { link } : {}) }, 'mail written to the outbox');
  }
}
