import { ConfigError } from './infrastructure/config.js';
import { loadConfig } from './infrastructure/load-config.js';
import { createLogger } from './infrastructure/logging.js';
import { startServer } from './infrastructure/server.js';

const bootLogger = createLogger('info');
try {
  const { config, secrets } = await loadConfig(bootLogger);
  const logger = createLogger(config.logLevel);
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
} catch (error) {
  if (error instanceof ConfigError) bootLogger.fatal({ problems: error.problems }, 'invalid configuration');
  else bootLogger.fatal({ err: error }, 'boot failed');
  process.exitCode = 1;
}
