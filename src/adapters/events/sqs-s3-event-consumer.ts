import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { parseS3Event, type S3EventRecord } from './s3-event-records.js';

/** The use cases a record maps to (RecordObjectCreated, RecordObjectRemoved); each answers its outcome. */
export interface S3EventHandlers {
  created(event: { key: string }): Promise<string>;
  removed(event: { key: string }): Promise<string>;
}

/** What the consumer reports, for logs and metrics. */
export interface S3EventObserver {
  received(count: number): void;
  /** `lagSeconds`: from when SQS took the message until it was handled. */
  handled(record: S3EventRecord, outcome: string, lagSeconds: number): void;
  /** The message stays in the queue: tried again after the retry delay, dead-lettered after the last receive. */
  failed(error: unknown, message: { id?: string; receiveCount: number }): void;
  receiveFailed(error: unknown): void;
}

export interface S3EventConsumerSettings {
  queueUrl: string;
  /** Records of other buckets are skipped (the queue may serve several); undefined: every bucket. */
  bucket?: string;
  waitSeconds: number;
  batchSize: number;
  retryDelaySeconds: number;
}

/** Receive failures are retried after 1 s, doubling up to this. */
const MAX_BACKOFF_MS = 30_000;

/**
 * Long-polls the queue and hands each record to its use case, one message at a time. A message is
 * deleted only after every record in it was handled (the catalog change committed); one that fails
 * stays, visible again after the retry delay, until SQS moves it to the dead-letter queue. `stop`
 * ends the poll, finishes the message in hand and makes the rest of the batch visible at once.
 */
export class SqsS3EventConsumer {
  private stopping = false;
  private readonly abort = new AbortController();
  private loop?: Promise<void>;
  /** False until a receive succeeded, and after one failed. */
  connected = false;

  constructor(
    private readonly sqs: SQSClient,
    private readonly settings: S3EventConsumerSettings,
    private readonly handlers: S3EventHandlers,
    private readonly observer: S3EventObserver,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await this.loop;
  }

  get running(): boolean {
    return this.loop !== undefined && !this.stopping;
  }

  private async run(): Promise<void> {
    let backoffMs = 1_000;
    while (!this.stopping) {
      let messages: Message[];
      try {
        messages = await this.receive();
        this.connected = true;
        backoffMs = 1_000;
      } catch (error) {
        if (this.stopping) break;
        this.connected = false;
        this.observer.receiveFailed(error);
        await this.pause(backoffMs);
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        continue;
      }
      if (messages.length > 0) this.observer.received(messages.length);
      await this.handleBatch(messages);
    }
  }

  private async receive(): Promise<Message[]> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.settings.queueUrl,
        MaxNumberOfMessages: this.settings.batchSize,
        WaitTimeSeconds: this.settings.waitSeconds,
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
      }),
      { abortSignal: this.abort.signal },
    );
    return Messages;
  }

  private async handleBatch(messages: Message[]): Promise<void> {
    for (const [i, message] of messages.entries()) {
      if (this.stopping) return this.release(messages.slice(i));
      await this.handle(message);
    }
  }

  private async handle(message: Message): Promise<void> {
    const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? 1);
    try {
      for (const record of parseS3Event(message.Body)) {
        const outcome = await this.dispatch(record);
        this.observer.handled(record, outcome, this.lagSeconds(message));
      }
      await this.sqs.send(
        new DeleteMessageCommand({ QueueUrl: this.settings.queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
    } catch (error) {
      this.observer.failed(error, { id: message.MessageId, receiveCount });
      await this.sqs
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: this.settings.queueUrl,
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: this.settings.retryDelaySeconds,
          }),
        )
        .catch(() => undefined);
    }
  }

  private dispatch(record: S3EventRecord): Promise<string> {
    const { bucket } = this.settings;
    if (bucket !== undefined && record.bucket !== bucket) return Promise.resolve('other-bucket');
    return record.kind === 'created' ? this.handlers.created(record) : this.handlers.removed(record);
  }

  private lagSeconds(message: Message): number {
    const sent = Number(message.Attributes?.SentTimestamp);
    return Number.isFinite(sent) ? Math.max(0, (this.now() - sent) / 1000) : 0;
  }

  /** Received but not started: visible again now, for another worker (or this one after a restart). */
  private async release(messages: Message[]): Promise<void> {
    if (messages.length === 0) return;
    await this.sqs
      .send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.settings.queueUrl,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
        }),
      )
      .catch(() => undefined);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.abort.signal.addEventListener('abort', done, { once: true });
    });
  }
}
