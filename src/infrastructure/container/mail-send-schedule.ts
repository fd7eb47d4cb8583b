import type { Logger } from 'pino';
import type { DeliverQueuedMail, DeliveryReport } from '../../application/mail/deliver-queued-mail.js';
import { repeatEvery } from './repeat-every.js';
import type { BackgroundJob } from './tokens.js';

function logRound(logger: Logger, report: DeliveryReport): void {
  if (report.failed > 0) logger.warn(report, 'mail sender: messages failed for good');
  else if (report.retried + report.lost > 0) logger.info(report, 'mail sender: messages to try again');
  else if (report.sent > 0) logger.debug(report, 'mail sender: messages sent');
}

/** The sender loop: a round of DeliverQueuedMail every `intervalMs` (never when 0), one at a time. */
export function scheduleMailSending(
  deliver: Pick<DeliverQueuedMail, 'execute'>,
  intervalMs: number,
  logger: Logger,
): BackgroundJob {
  return repeatEvery(
    intervalMs,
    async () => logRound(logger, await deliver.execute()),
    (error) => logger.error({ err: error }, 'mail sender: round failed'),
  );
}
