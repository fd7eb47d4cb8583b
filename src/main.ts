import type { Logger } from 'pino';
import { ConfigError, parseTracingSettings, readEnv, type Config } from './infrastructure/config.js';
import type { LoadedConfig } from './infrastructure/load-config.js';
import type { Tracing } from './infrastructure/tracing.js';

// Tracing first, and only when asked for: its instrumentations patch the modules imported after it.
const tracingSettings = parseTracingSettings(readEnv());
const tracing = tracingSettings.enabled
  ? await import('./infrastructure/tracing.js').then((t) => t.startTracing(tracingSettings))
  : undefined;
const { exitIfWorker, runPrimary, runsAsPrimary } = await import('./infrastructure/cluster.js');
const { loadConfig } = await import('./infrastructure/load-config.js');
const { createLogger, routeProcessOutput } = await import('./infrastructure/logging.js');
const { startServer } = await import('./infrastructure/server.js');
const { runS3EventsWorker } = await import('./infrastructure/worker-process.js');
const { exitOnSignals } = await import('./infrastructure/signals.js');

const bootLogger = createLogger('info', undefined, tracing?.logFields);
routeProcessOutput(bootLogger);
try {
  const { config, secrets } = await loadConfig(bootLogger);
  const logger = createLogger(config.logLevel, undefined, tracing?.logFields);
  // WORKER=s3-events: this process consumes the bucket's events instead (cluster mode forks one).
  if (config.s3Events.worker === 's3-events') await runS3EventsWorker(config, logger, { secrets });
  else if (runsAsPrimary(config)) await runPrimary(config, logger);
  else await serve(config, logger, secrets, tracing);
} catch (error) {
  if (error instanceof ConfigError) bootLogger.fatal({ problems: error.problems }, 'invalid configuration');
  else bootLogger.fatal({ err: error }, 'boot failed');
  process.exitCode = 1;
  exitIfWorker(1);
}

/** One process serving the app: alone, or as one worker of a cluster. */
async function serve(
  config: Config,
  logger: Logger,
  secrets: LoadedConfig['secrets'],
  tracing: Tracing | undefined,
): Promise<void> {
  const running = await startServer(config, logger, { secrets });
  // The spans of the last requests are still buffered: export them before exiting.
  exitOnSignals(logger, () => running.stop().then(() => tracing?.shutdown()));
}
