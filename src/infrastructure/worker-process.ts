import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { CompositionOptions } from './container/build-container.js';
import { startS3EventsWorker } from './container/s3-events-worker.js';
import { exitOnSignals } from './signals.js';

/**
 * One process running the S3 event worker (`npm run worker`, or `WORKER=s3-events`, which cluster
 * mode forks): SIGTERM or SIGINT finishes the message in hand, leaves the rest in the queue, exits 0.
 */
export async function runS3EventsWorker(
  config: Config,
  logger: Logger,
  options: Pick<CompositionOptions, 'secrets'> = {},
): Promise<void> {
  const running = await startS3EventsWorker(config, logger, options);
  exitOnSignals(logger, () => running.stop());
}
