import type { Logger } from 'pino';

/**
 * SIGTERM or SIGINT (once): log it, run `stop` (finish what is in hand, close what is open), then
 * exit 0, or 1 when stopping failed. The server and the S3 event worker stop this way.
 */
export function exitOnSignals(logger: Logger, stop: () => Promise<unknown>): void {
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'signal received');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
