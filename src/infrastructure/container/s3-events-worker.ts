import type { Logger } from 'pino';
import { SqsS3EventConsumer, type S3EventObserver } from '../../adapters/events/sqs-s3-event-consumer.js';
import { RecordObjectCreated } from '../../application/files/record-object-created.js';
import { RecordObjectRemoved } from '../../application/files/record-object-removed.js';
import { SweepAbandonedUploads } from '../../application/files/sweep-abandoned-uploads.js';
import type { Config } from '../config.js';
import { buildContainer, closeContainer, type CompositionOptions } from './build-container.js';
import { createWorkerMetrics, serveWorkerStatus, type WorkerMetrics } from './s3-events-status.js';
import { TOKENS as T } from './tokens.js';
import { logSweep, scheduleUploadSweep } from './upload-sweep-schedule.js';

export interface RunningWorker {
  /** The health and metrics endpoint (WORKER_PORT). */
  statusUrl: string;
  /** Ends the poll, finishes the message in hand, releases the rest, stops the sweep, closes every store. */
  stop(): Promise<void>;
}

function observer(metrics: WorkerMetrics, logger: Logger): S3EventObserver {
  return {
    received: (count) => metrics.received.inc(count),
    handled: (record, outcome, lagSeconds) => {
      metrics.handled.inc({ kind: record.kind, outcome });
      metrics.lag.observe(lagSeconds);
      logger.info({ event: record.eventName, key: record.key, outcome }, 's3 event handled');
    },
    failed: (error, message) => {
      metrics.failed.inc();
      logger.warn({ err: error, messageId: message.id, receiveCount: message.receiveCount }, 's3 event failed');
    },
    receiveFailed: (error) => {
      metrics.receiveFailures.inc();
      logger.error({ err: error }, 's3 events: receiving from the queue failed');
    },
  };
}

/**
 * The second entry point's body: the same composition root as the server, without HTTP routes. It
 * consumes S3_EVENTS_QUEUE_URL, sweeps abandoned uploads every UPLOAD_SWEEP_INTERVAL_MINUTES (once
 * at start too, to catch up after downtime), and answers health and metrics on WORKER_PORT.
 */
export async function startS3EventsWorker(
  config: Config,
  logger: Logger,
  options: CompositionOptions = {},
): Promise<RunningWorker> {
  const { queueUrl, ...events } = config.s3Events;
  if (!queueUrl) throw new Error('S3_EVENTS_QUEUE_URL is required to run the S3 event worker');
  const c = await buildContainer(config, logger, options);
  try {
    const metrics = createWorkerMetrics();
    const [created, removed, sweep] = [
      await c.getAsync(RecordObjectCreated),
      await c.getAsync(RecordObjectRemoved),
      await c.getAsync(SweepAbandonedUploads),
    ];
    const bucket = config.files.s3.bucket?.startsWith('arn:') ? undefined : config.files.s3.bucket;
    const consumer = new SqsS3EventConsumer(
      await c.getAsync(T.SqsClient),
      { queueUrl, bucket, ...events },
      { created: (e) => created.execute(e), removed: (e) => removed.execute(e) },
      observer(metrics, logger),
    );
    const status = await serveWorkerStatus(
      { host: config.http.host, port: events.statusPort, metrics: config.metrics },
      () => consumer.running && consumer.connected,
      metrics.registry,
    );
    const firstSweep = sweep.execute().then(
      (report) => logSweep(logger, report),
      (error: unknown) => logger.error({ err: error }, 'upload sweep failed'),
    );
    const sweeps = scheduleUploadSweep(sweep, config.files.abandonedUploads.sweepIntervalMinutes, logger);
    consumer.start();
    logger.info({ queueUrl, statusPort: new URL(status.url).port }, 's3 event worker started');
    let stopping: Promise<void> | undefined;
    const stop = async () => {
      logger.info('s3 event worker: stopping (finishing the message in hand)');
      await consumer.stop();
      await Promise.all([sweeps.stop(), firstSweep]);
      await status.close();
      await closeContainer(c);
    };
    return { statusUrl: status.url, stop: () => (stopping ??= stop()) };
  } catch (error) {
    await closeContainer(c).catch(() => undefined);
    throw error;
  }
}
