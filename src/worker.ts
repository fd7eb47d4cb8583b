import { exitIfWorker } from './infrastructure/cluster.js';
import { ConfigError } from './infrastructure/config.js';
import { loadConfig } from './infrastructure/load-config.js';
import { createLogger, routeProcessOutput } from './infrastructure/logging.js';
import { runS3EventsWorker } from './infrastructure/worker-process.js';

// The second entry point: config -> the same composition root -> the S3 event worker; nothing else.
const bootLogger = createLogger('info');
routeProcessOutput(bootLogger);
try {
  const { config, secrets } = await loadConfig(bootLogger);
  if (!config.s3Events.queueUrl) throw new ConfigError(['S3_EVENTS_QUEUE_URL: required to run the worker']);
  await runS3EventsWorker(config, createLogger(config.logLevel), { secrets });
} catch (error) {
  if (error instanceof ConfigError) bootLogger.fatal({ problems: error.problems }, 'invalid configuration');
  else bootLogger.fatal({ err: error }, 'boot failed');
  process.exitCode = 1;
  exitIfWorker(1);
}
