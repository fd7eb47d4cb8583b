import type { Logger } from 'pino';
import type { SweepAbandonedUploads, SweepReport } from '../../application/files/sweep-abandoned-uploads.js';
import type { BackgroundJob } from './tokens.js';

function logSweep(logger: Logger, { files, leftovers, failures }: SweepReport): void {
  for (const error of failures) logger.warn({ err: error }, 'upload sweep: could not remove an abandoned upload');
  if (files + leftovers > 0) logger.info({ files, leftovers }, 'upload sweep: abandoned uploads removed');
}

/**
 * Sweeps abandoned uploads every `minutes` while the server runs (never when 0). The timer keeps no
 * process alive; stopping it waits for a sweep under way.
 */
export function scheduleUploadSweep(
  sweep: Pick<SweepAbandonedUploads, 'execute'>,
  minutes: number,
  logger: Logger,
): BackgroundJob {
  if (minutes === 0) return { stop: async () => undefined };
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= sweep
      .execute()
      .then(
        (report) => logSweep(logger, report),
        (error: unknown) => logger.error({ err: error }, 'upload sweep failed'),
      )
      .finally(() => (running = undefined));
  };
  const timer = setInterval(run, minutes * 60_000).unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
