import type { Logger } from 'pino';
import type { DeliverQueuedMail, DeliveryReport } from '../../application/mail/deliver-queued-mail.js';
import type { BackgroundJob } from './tokens.js';

function logRound(logger: Logger, report: DeliveryReport): void {
  if (report.failed > 0) logger.warn(report, 'mail sender: messages failed for good');
  else if (report.retried + report.lost > 0) logger.info(report, 'mail sender: messages to try again');
}

/**
 * The sender loop: a round of DeliverQueuedMail every `intervalMs` (never when 0), one at a time.
 * The timer keeps no process alive; stopping it waits for a round under way.
 */
export function scheduleMailSending(
  deliver: Pick<DeliverQueuedMail, 'execute'>,
  intervalMs: number,
  logger: Logger,
): BackgroundJob {
  if (intervalMs === 0) return { stop: async () => undefined };
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= deliver
      .execute()
      .then(
        (report) => logRound(logger, report),
        (error: unknown) => logger.error({ err: error }, 'mail sender: round failed'),
      )
      .finally(() => (running = undefined));
  };
  const timer = setInterval(run, intervalMs).unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
