import type { Logger } from 'pino';
import { exitIfWorker, runPrimary, runsAsPrimary } from './infrastructure/cluster.js';
import { ConfigError, type Config } from './infrastructure/config.js';
import { loadConfig, type LoadedConfig } from './infrastructure/load-config.js';
import { createLogger, routeProcessOutput } from './infrastructure/logging.js';
import { startServer } from './infrastructure/server.js';

const bootLogger = createLogger('info');
routeProcessOutput(bootLogger);
try {
  const { config, secrets } = await loadConfig(bootLogger);
  const logger = createLogger(config.logLevel);
  if (runsAsPrimary(config)) await runPrimary(config, logger);
  else await serve(config, logger, secrets);
} catch (error) {
  if (error instanceof ConfigError) bootLogger.fatal({ problems: error.problems }, 'invalid configuration');
  else bootLogger.fatal({ err: error }, 'boot failed');
  process.exitCode = 1;
  exitIfWorker(1);
}

/** One process serving the app: alone, or as one worker of a cluster. */
async function serve(config: Config, logger: Logger, secrets: LoadedConfig['secrets']): Promise<void> {
  const running = await startServer(config, logger, { secrets });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'signal received');
    running.stop().then(
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
