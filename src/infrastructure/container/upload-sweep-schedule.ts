import type { Logger } from 'pino';
import type { SweepAbandonedUploads, SweepReport } from '../../application/files/sweep-abandoned-uploads.js';
import { repeatEvery } from './repeat-every.js';
import type { BackgroundJob } from './tokens.js';

export function logSweep(logger: Logger, { files, leftovers, failures }: SweepReport): void {
  for (const error of failures) logger.warn({ err: error }, 'upload sweep: could not remove an abandoned upload');
  if (files + leftovers > 0) logger.info({ files, leftovers }, 'upload sweep: abandoned uploads removed');
}

/** Sweeps abandoned uploads every `minutes` while the server runs (never when 0), one sweep at a time. */
export function scheduleUploadSweep(
  sweep: Pick<SweepAbandonedUploads, 'execute'>,
  minutes: number,
  logger: Logger,
): BackgroundJob {
  return repeatEvery(
    minutes * 60_000,
    async () => logSweep(logger, await sweep.execute()),
    (error) => logger.error({ err: error }, 'upload sweep failed'),
  );
}
