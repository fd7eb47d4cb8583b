import {
  DeleteQueueCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { ensureEventQueues, type EventQueues } from '../../src/adapters/events/sqs-event-queues.js';
import type { Moto } from './moto.js';

export const motoSqsClient = (moto: Moto): SQSClient =>
  new SQSClient({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });

/** An events queue of its own with its dead-letter queue, made as bucket:setup makes them; `remove` deletes both. */
export async function createEventQueues(
  sqs: SQSClient,
  bucket: string,
  options: { maxReceives?: number; visibilityTimeoutSeconds?: number } = {},
): Promise<EventQueues & { remove(): Promise<void> }> {
  const name = `portico-events-${randomBytes(5).toString('hex')}`;
  const queues = await ensureEventQueues(sqs, {
    queueUrl: `http://sqs.invalid/123456789012/${name}`,
    maxReceives: options.maxReceives ?? 2,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
    bucketArn: `arn:aws:s3:::${bucket}`,
  });
  const remove = async () => {
    for (const QueueUrl of [queues.queueUrl, queues.deadLetterUrl])
      await sqs.send(new DeleteQueueCommand({ QueueUrl })).catch(() => undefined);
  };
  return { ...queues, remove };
}

const readBody = (body: string | undefined): unknown => {
  try {
    return JSON.parse(body ?? '');
  } catch {
    return body;
  }
};

/** Every message body waiting in a queue now (each made invisible for a minute), parsed when JSON. */
export async function drainBodies(sqs: SQSClient, QueueUrl: string): Promise<unknown[]> {
  const bodies: unknown[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 60 }),
    );
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((m) => readBody(m.Body)));
  }
}

export const purge = (sqs: SQSClient, QueueUrl: string) => sqs.send(new PurgeQueueCommand({ QueueUrl }));

export const sendBody = (sqs: SQSClient, QueueUrl: string, body: unknown) =>
  sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: typeof body === 'string' ? body : JSON.stringify(body) }));

/**
 * An S3 event notification as AWS documents it ("Event message structure", the example of an
 * ObjectCreated:Put record, with the fields a versioned bucket adds): the records moto never sends
 * (delete markers, lifecycle expirations) are fed to the worker in this shape.
 */
export function awsS3Event(
  eventName: string,
  bucket: string,
  key: string,
  object: { size?: number; eTag?: string; versionId?: string; sequencer?: string } = {},
) {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: new Date().toISOString(),
        eventName,
        userIdentity: { principalId: 'AWS:AIDAJDPLRKLG7UEXAMPLE' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: {
          'x-amz-request-id': 'C3D13FE58DE4C810',
          'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'portico-s3-events',
          bucket: { name: bucket, ownerIdentity: { principalId: 'A3NL1KOZZKExample' }, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), sequencer: '0055AED6DCD90281E5', ...object },
        },
      },
    ],
  };
}
