import nodemailer, { type NodemailerError, type SMTPPoolOptions } from 'nodemailer';
import { MailDeliveryError, type Mailer, type MailMessage } from '../../domain/ports/mailer.js';

/** The server, by URL (`smtp://user:password@host:587`, `smtps://...`) or by its parts. */
export interface SmtpSettings {
  url?: string | undefined;
  host?: string | undefined;
  port: number;
  secure: boolean;
  user?: string | undefined;
  password?: string | undefined;
  from: string;
  connectionTimeoutMs: number;
  /** The greeting, and any silence of the server once connected, may last this long. */
  sendTimeoutMs: number;
}

/** Refusals of our credentials, not of the message: once the operator fixes them, the same message goes through. */
const TRANSIENT_CODES = new Set(['EAUTH', 'ENOAUTH']);

/** 5xx (but 503, a session out of step) is final; a 4xx, a timeout, a connection that failed may pass later. */
function isPermanent(error: NodemailerError): boolean {
  if (error.code && TRANSIENT_CODES.has(error.code)) return false;
  if (typeof error.responseCode === 'number') {
    return error.permanent ?? (error.responseCode >= 500 && error.responseCode < 600 && error.responseCode !== 503);
  }
  // Refused before anything was sent: no recipient or a malformed address.
  return error.code === 'EENVELOPE';
}

/**
 * Sends over SMTP through a small pool of connections (reused between messages), so close() it when
 * done. Failures become MailDeliveryError; the password never appears in one.
 */
export class SmtpMailer implements Mailer {
  private readonly transport;
  private readonly secrets: string[];

  constructor(private readonly settings: SmtpSettings) {
    const { url, host, port, secure, user, password } = settings;
    const timeouts = {
      connectionTimeout: settings.connectionTimeoutMs,
      greetingTimeout: settings.sendTimeoutMs,
      socketTimeout: settings.sendTimeoutMs,
      dnsTimeout: settings.connectionTimeoutMs,
    };
    const server = url ? { url } : { host, port, secure, ...(user ? { auth: { user, pass: password } } : {}) };
    // Message fields are never read as file paths or URLs to fetch.
    const safety = { disableFileAccess: true, disableUrlAccess: true };
    const options: SMTPPoolOptions & { pool: true } = {
      pool: true,
      maxConnections: 2,
      ...safety,
      ...timeouts,
      ...server,
    };
    this.transport = nodemailer.createTransport(options);
    this.secrets = secretsOf(settings);
  }

  async send(message: MailMessage): Promise<void> {
    try {
      const { to, subject, text, html } = message;
      await this.transport.sendMail({ from: this.settings.from, to, subject, text, html });
    } catch (error) {
      throw this.deliveryError(error as NodemailerError);
    }
  }

  close(): void {
    this.transport.close();
  }

  private deliveryError(error: NodemailerError): MailDeliveryError {
    const parts = [error.code, error.response ?? error.message].filter(Boolean).join(' ');
    for (const target of [error, ...(error.rejectedErrors ?? [])]) this.redact(target);
    return new MailDeliveryError(`smtp: ${this.scrub(parts)}`, isPermanent(error), { cause: error });
  }

  /** The error may be logged whole (with its cause): its own text loses the password too. */
  private redact(error: Error): void {
    error.message = this.scrub(error.message);
    if (error.stack) error.stack = this.scrub(error.stack);
  }

  private scrub(text: string): string {
    return this.secrets.reduce((t, secret) => t.split(secret).join('***'), text);
  }
}

/** The password as given, and as it is spelled inside a URL. */
function secretsOf({ url, password }: SmtpSettings): string[] {
  const fromUrl = url ? URL.parse(url)?.password : undefined;
  const all = [password, fromUrl, fromUrl && decodeURIComponent(fromUrl), password && encodeURIComponent(password)];
  return [...new Set(all.filter((s): s is string => Boolean(s)))];
}
