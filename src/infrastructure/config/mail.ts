import path from 'node:path';
import { z } from 'zod';
import { bool, int, type Rule } from './helpers.js';
import type { ServerValues } from './server.js';

const ADDRESS = /^([^<>]*<[^@\s<>]+@[^@\s<>]+>|[^@\s<>]+@[^@\s<>]+)$/;

export const mailFields = {
  MAIL_DRIVER: z.enum(['outbox', 'smtp', 'memory']).default('outbox'),
  MAIL_FROM: z.string().trim().regex(ADDRESS, 'must be an address, e.g. "Portico <no-reply@example.com>"').optional(),
  /** A secret when it carries the password (smtp://user:password@host:587). */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/?#]+/, 'must be an smtp:// or smtps:// URL')
    .optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: int(1, 65535).optional(),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  SMTP_CONNECT_TIMEOUT_MS: int(100, 600_000).default(10_000),
  SMTP_SEND_TIMEOUT_MS: int(100, 600_000).default(30_000),
};
type MailValues = z.output<z.ZodObject<typeof mailFields>>;

export const mailRules: Rule<MailValues & Pick<ServerValues, 'NODE_ENV'>>[] = [
  {
    name: 'SMTP_HOST',
    reads: ['MAIL_DRIVER', 'SMTP_URL', 'SMTP_HOST'],
    message: 'SMTP_URL or SMTP_HOST is required when MAIL_DRIVER=smtp',
    broken: (v) => v.MAIL_DRIVER === 'smtp' && !v.SMTP_URL && !v.SMTP_HOST,
  },
  {
    name: 'SMTP_URL',
    reads: ['SMTP_URL', 'SMTP_HOST', 'SMTP_PORT', 'SMTP_USER', 'SMTP_PASSWORD'],
    message: 'give SMTP_URL or SMTP_HOST/SMTP_PORT/SMTP_USER/SMTP_PASSWORD, not both',
    broken: (v) => Boolean(v.SMTP_URL) && [v.SMTP_HOST, v.SMTP_PORT, v.SMTP_USER, v.SMTP_PASSWORD].some(Boolean),
  },
  {
    name: 'SMTP_PASSWORD',
    reads: ['SMTP_USER', 'SMTP_PASSWORD'],
    message: 'SMTP_USER and SMTP_PASSWORD go together',
    broken: (v) => Boolean(v.SMTP_USER) !== Boolean(v.SMTP_PASSWORD),
  },
  {
    name: 'MAIL_FROM',
    reads: ['NODE_ENV', 'MAIL_DRIVER', 'MAIL_FROM'],
    message: 'required with MAIL_DRIVER=smtp in production',
    broken: (v) => v.NODE_ENV === 'production' && v.MAIL_DRIVER === 'smtp' && !v.MAIL_FROM,
  },
];

/**
 * `config.mail`. The SMTP part goes to the SMTP adapter as is (its `SmtpSettings`); the outbox
 * writes under DATA_DIR/outbox and, outside production, logs the link each message carries.
 */
export const mail = (v: MailValues & Pick<ServerValues, 'NODE_ENV' | 'DATA_DIR'>) => ({
  driver: v.MAIL_DRIVER,
  outbox: { dir: path.resolve(v.DATA_DIR, 'outbox'), logLinks: v.NODE_ENV !== 'production' },
  smtp: {
    from: v.MAIL_FROM ?? 'Portico <no-reply@localhost>',
    url: v.SMTP_URL,
    host: v.SMTP_HOST,
    port: v.SMTP_PORT ?? (v.SMTP_SECURE ? 465 : 587),
    /** TLS from the start (465); otherwise STARTTLS when the server offers it. */
    secure: v.SMTP_SECURE,
    user: v.SMTP_USER,
    password: v.SMTP_PASSWORD,
    connectionTimeoutMs: v.SMTP_CONNECT_TIMEOUT_MS,
    /** The greeting, and any silence of the server once connected, may last this long. */
    sendTimeoutMs: v.SMTP_SEND_TIMEOUT_MS,
  },
});
