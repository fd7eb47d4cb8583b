import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export interface EventQueueSetup {
  /** S3_EVENTS_QUEUE_URL; its last path segment is the queue's name, `{name}-dlq` its dead-letter queue's. */
  queueUrl: string;
  maxReceives: number;
  visibilityTimeoutSeconds: number;
  /** The bucket allowed to send to the queue (`arn:aws:s3:::{bucket}`). */
  bucketArn: string;
}

export interface EventQueues {
  queueUrl: string;
  queueArn: string;
  deadLetterUrl: string;
  deadLetterArn: string;
  /** What was done, one line per queue. */
  done: string[];
}

/** Dead letters are kept 14 days, SQS's longest, so there is time to look at them. */
const DEAD_LETTER_RETENTION_S = '1209600';

export function queueNameOf(queueUrl: string): string {
  const name = new URL(queueUrl).pathname.split('/').filter(Boolean).at(-1);
  if (!name) throw new Error(`S3_EVENTS_QUEUE_URL names no queue: ${queueUrl}`);
  return name;
}

/** The policy that lets S3 send this bucket's notifications to the queue, and nothing else. */
export function s3SendPolicy(queueArn: string, bucketArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'portico-s3-events',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': bucketArn } },
      },
    ],
  });
}

async function urlOf(sqs: SQSClient, QueueName: string): Promise<{ url: string; created: boolean }> {
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName }));
    if (QueueUrl) return { url: QueueUrl, created: false };
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'QueueDoesNotExist' && name !== 'AWS.SimpleQueueService.NonExistentQueue') throw error;
  }
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName }));
  if (!QueueUrl) throw new Error(`SQS created ${QueueName} without a URL`);
  return { url: QueueUrl, created: true };
}

/**
 * Sets the attributes when any differs from `wanted`; answers the names that differed. All of them
 * are sent together: moto drops a queue's Policy on any SetQueueAttributes that leaves it out (SQS keeps it).
 */
async function converge(sqs: SQSClient, QueueUrl: string, wanted: Record<string, string>): Promise<string[]> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
  const current: Record<string, string | undefined> = Attributes ?? {};
  const differ = Object.keys(wanted).filter((name) => !sameAttribute(current[name], wanted[name] ?? ''));
  if (differ.length > 0) await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: wanted }));
  return differ;
}

/** JSON attributes (policies) compare by content: SQS may give them back with other spacing or number types. */
function sameAttribute(current: string | undefined, wanted: string): boolean {
  if (current === wanted) return true;
  if (current === undefined || !wanted.startsWith('{')) return false;
  try {
    const normal = (s: string) =>
      JSON.stringify(JSON.parse(s), (_k, v: unknown) => (typeof v === 'number' ? String(v) : v));
    return normal(current) === normal(wanted);
  } catch {
    return false;
  }
}

async function arnOf(sqs: SQSClient, QueueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  if (!Attributes?.QueueArn) throw new Error(`SQS gave no QueueArn for ${QueueUrl}`);
  return Attributes.QueueArn;
}

const line = (name: string, created: boolean, set: string[]) =>
  `${name}: ${created ? 'created' : 'exists'}${set.length > 0 ? `, set ${set.join(', ')}` : ', as configured'}`;

/**
 * Creates the events queue and its dead-letter queue when missing, then gives them the redrive
 * policy, visibility timeout and S3's permission to send, changing only what differs: running it
 * again changes nothing.
 */
export async function ensureEventQueues(sqs: SQSClient, setup: EventQueueSetup): Promise<EventQueues> {
  const name = queueNameOf(setup.queueUrl);
  const dead = await urlOf(sqs, `${name}-dlq`);
  const deadLetterArn = await arnOf(sqs, dead.url);
  const deadSet = await converge(sqs, dead.url, { MessageRetentionPeriod: DEAD_LETTER_RETENTION_S });
  const main = await urlOf(sqs, name);
  const queueArn = await arnOf(sqs, main.url);
  const mainSet = await converge(sqs, main.url, {
    VisibilityTimeout: String(setup.visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterArn, maxReceiveCount: setup.maxReceives }),
    Policy: s3SendPolicy(queueArn, setup.bucketArn),
  });
  return {
    queueUrl: main.url,
    queueArn,
    deadLetterUrl: dead.url,
    deadLetterArn,
    done: [line(`queue ${name}`, main.created, mainSet), line(`dead-letter queue ${name}-dlq`, dead.created, deadSet)],
  };
}
