import { ensureEventQueues } from '../../adapters/events/sqs-event-queues.js';
import { setUpBucket } from '../../adapters/files/s3/s3-bucket-setup.js';
import { isAccessPointArn } from '../../adapters/files/s3/s3-requests.js';
import type { Config } from '../config.js';
import { TOKENS as T } from '../container/tokens.js';
import { loadCliConfig, parseCliArgs, runCli, UsageError, withContainer } from './run-cli.js';

const USAGE = `usage: npm run bucket:setup [-- --bucket <name>]   (default: S3_BUCKET)
Applies versioning, default encryption, lifecycle tiers, CORS, event notifications and object-lock
retention from the configured S3_* settings (with SECRETS_SOURCE=ssm, the stage tree's); safe to
run again. With S3_EVENTS_QUEUE_URL it also creates or checks that queue and its dead-letter queue
({name}-dlq, after S3_EVENTS_MAX_RECEIVES receives) and sends ObjectCreated:*, ObjectRemoved:* and
LifecycleExpiration:* under files/ to it.`;

type Container = Parameters<Parameters<typeof withContainer>[1]>[0];

/** The events queue and its dead-letter queue, when S3_EVENTS_QUEUE_URL is set; the queue's ARN for the bucket. */
async function eventQueues(container: Container, config: Config, bucket: string) {
  const { queueUrl, maxReceives, visibilityTimeoutSeconds } = config.s3Events;
  if (!queueUrl) {
    console.log('event notifications: skipped (S3_EVENTS_QUEUE_URL unset)');
    return undefined;
  }
  const sqs = await container.getAsync(T.SqsClient);
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const queues = await ensureEventQueues(sqs, { queueUrl, maxReceives, visibilityTimeoutSeconds, bucketArn });
  for (const line of queues.done) console.log(line);
  return { queueArn: queues.queueArn };
}

/** Applies versioning, default encryption, lifecycle, CORS, event notifications and object-lock retention; safe to run again. */
async function main(args: string[]): Promise<void> {
  const { values } = parseCliArgs(args, { bucket: { type: 'string' } });
  const config = await loadCliConfig();
  const bucket = values.bucket ?? config.files.s3.bucket;
  if (!bucket) throw new UsageError('no bucket: pass --bucket or set S3_BUCKET');
  // Bucket settings live on the bucket itself; an access point cannot take them.
  if (isAccessPointArn(bucket))
    throw new UsageError("an access-point ARN takes no bucket settings; pass the bucket's name");
  const { sse, lifecycle, corsOrigins, lock } = config.files.s3;
  await withContainer(config, async (container) => {
    const events = await eventQueues(container, config, bucket);
    const client = await container.getAsync(T.S3Client);
    for (const line of await setUpBucket(client, { bucket, sse, lifecycle, corsOrigins, lock, events }))
      console.log(line);
  });
  console.log(`bucket ${bucket}: set up`);
}

runCli(USAGE, main);
