import { z } from 'zod';
import { int } from './helpers.js';

export const mailQueueFields = {
  MAIL_SEND_INTERVAL_MS: int(0, 3_600_000).default(5_000),
  MAIL_MAX_ATTEMPTS: int(1, 100).default(8),
  MAIL_CLAIM_TTL_MS: int(1_000, 86_400_000).default(300_000),
};
type MailQueueValues = z.output<z.ZodObject<typeof mailQueueFields>>;

/**
 * `config.mailQueue`: how the server's sender loop delivers the queued mail. A retry waits a minute,
 * then twice as long each time, up to an hour; with 8 attempts a message is given up after about two hours.
 */
export const mailQueue = (v: MailQueueValues) => ({
  /** How often the loop claims a batch; 0 turns it off (the mail then waits in the queue). */
  sendIntervalMs: v.MAIL_SEND_INTERVAL_MS,
  maxAttempts: v.MAIL_MAX_ATTEMPTS,
  /** A claim held this long by a process that died is released; longer than a batch takes to send. */
  claimTtlMs: v.MAIL_CLAIM_TTL_MS,
  batchSize: 10,
  baseDelayMs: 60_000,
  maxDelayMs: 3_600_000,
});
