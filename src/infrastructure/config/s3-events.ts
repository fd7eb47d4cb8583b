import { z } from 'zod';
import { int, type Rule } from './helpers.js';

export const s3EventsFields = {
  /** `s3-events`: this process runs the S3 event worker instead of the HTTP server (cluster mode forks one). */
  WORKER: z.enum(['s3-events']).optional(),
  S3_EVENTS_QUEUE_URL: z.url({ protocol: /^https?$/ }).optional(),
  S3_EVENTS_MAX_RECEIVES: int(1, 1000).default(5),
  S3_EVENTS_VISIBILITY_TIMEOUT_S: int(5, 43_200).default(60),
  S3_EVENTS_RETRY_DELAY_S: int(0, 43_200).default(30),
  S3_EVENTS_WAIT_S: int(0, 20).default(20),
  S3_EVENTS_BATCH: int(1, 10).default(10),
  WORKER_PORT: int(0, 65_535).default(3001),
};
type S3EventsValues = z.output<z.ZodObject<typeof s3EventsFields>>;

export const s3EventsRules: Rule<S3EventsValues>[] = [
  {
    name: 'S3_EVENTS_QUEUE_URL',
    reads: ['WORKER', 'S3_EVENTS_QUEUE_URL'],
    message: 'required when WORKER=s3-events',
    broken: (v) => v.WORKER === 's3-events' && !v.S3_EVENTS_QUEUE_URL,
  },
  // A failed message must become visible again before its visibility timeout would have let it.
  {
    name: 'S3_EVENTS_RETRY_DELAY_S',
    reads: ['S3_EVENTS_RETRY_DELAY_S', 'S3_EVENTS_VISIBILITY_TIMEOUT_S'],
    message: 'must not be longer than S3_EVENTS_VISIBILITY_TIMEOUT_S',
    broken: (v) => v.S3_EVENTS_RETRY_DELAY_S > v.S3_EVENTS_VISIBILITY_TIMEOUT_S,
  },
];

/**
 * `config.s3Events`: the queue S3 sends the bucket's notifications to, and how the worker takes
 * them (see docs/files.md, "Keeping the catalog true"). Its dead-letter queue is the same name with `-dlq`.
 */
export const s3Events = (v: S3EventsValues) => ({
  /** Set on the one process that runs the worker (`npm run worker` sets it itself). */
  worker: v.WORKER,
  queueUrl: v.S3_EVENTS_QUEUE_URL,
  /** Receives before SQS moves a message to the dead-letter queue (the redrive policy). */
  maxReceives: v.S3_EVENTS_MAX_RECEIVES,
  /** The queue's visibility timeout, set by bucket:setup: longer than one message takes to handle. */
  visibilityTimeoutSeconds: v.S3_EVENTS_VISIBILITY_TIMEOUT_S,
  /** A message that failed is visible again after this, not after the whole visibility timeout. */
  retryDelaySeconds: v.S3_EVENTS_RETRY_DELAY_S,
  /** Long-poll wait of each ReceiveMessage. */
  waitSeconds: v.S3_EVENTS_WAIT_S,
  batchSize: v.S3_EVENTS_BATCH,
  /** The worker's health and metrics endpoint (on HOST). */
  statusPort: v.WORKER_PORT,
});
