import type { Clock } from '../../domain/ports/clock.js';
import type { ClaimedMail, MailQueue } from '../../domain/ports/mail-queue.js';
import { MailDeliveryError, type Mailer } from '../../domain/ports/mailer.js';

export interface DeliverySettings {
  /** This process's name on its claims; unique per process. */
  owner: string;
  batchSize: number;
  /** Longer than a batch takes to send: an expired claim lets another process send the message again. */
  claimTtlMs: number;
  /** Attempts in all, the first included; the last failure is kept as failed. */
  maxAttempts: number;
  /** The first retry waits this long, each next one twice as long, never more than `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface DeliveryReport {
  sent: number;
  /** Failed for now, tried again later. */
  retried: number;
  /** Failed for good, kept as failed. */
  failed: number;
  /** Sent or failed after this process's claim had expired and another process took the message. */
  lost: number;
}

/**
 * One round of the sender loop: claims a batch of due messages and hands each to the Mailer, one
 * at a time, then records the outcome. Anything other than a MailDeliveryError counts as transient.
 */
export class DeliverQueuedMail {
  constructor(
    private readonly queue: MailQueue,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    private readonly settings: DeliverySettings,
  ) {}

  async execute(): Promise<DeliveryReport> {
    const { owner, batchSize: limit, claimTtlMs } = this.settings;
    const claimed = await this.queue.claim({ now: this.clock.now(), limit, claimTtlMs, owner });
    const report: DeliveryReport = { sent: 0, retried: 0, failed: 0, lost: 0 };
    for (const mail of claimed) {
      const outcome = await this.deliver(mail);
      report[outcome] += 1;
    }
    return report;
  }

  private async deliver(mail: ClaimedMail): Promise<keyof DeliveryReport> {
    const { owner } = this.settings;
    try {
      await this.mailer.send(mail.message);
    } catch (error) {
      const attempts = mail.attempts + 1;
      const permanent =
        (error instanceof MailDeliveryError && error.permanent) || attempts >= this.settings.maxAttempts;
      const nextAttemptAt = new Date(this.clock.now().getTime() + this.backoffMs(mail.attempts));
      const failure = { permanent, error: error instanceof Error ? error.message : String(error), nextAttemptAt };
      if (!(await this.queue.markFailed(mail.id, owner, failure))) return 'lost';
      return permanent ? 'failed' : 'retried';
    }
    return (await this.queue.markSent(mail.id, owner)) ? 'sent' : 'lost';
  }

  private backoffMs(previousAttempts: number): number {
    const { baseDelayMs, maxDelayMs } = this.settings;
    return Math.min(baseDelayMs * 2 ** previousAttempts, maxDelayMs);
  }
}
