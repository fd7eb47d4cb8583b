import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import sinon from 'sinon';
import { SqsS3EventConsumer, type S3EventObserver } from '../../../../src/adapters/events/sqs-s3-event-consumer.js';
import { until } from '../../../support/until.js';
import { awsS3Event } from '../../../support/s3-events.js';

interface Call {
  name: string;
  input: Record<string, unknown>;
}

/** An SQS client that answers ReceiveMessage with the batches given, then long-polls until aborted. */
function fakeSqs(batches: Message[][]) {
  const calls: Call[] = [];
  const send = async (
    command: { constructor: { name: string }; input: Record<string, unknown> },
    options?: { abortSignal?: AbortSignal },
  ) => {
    const name = command.constructor.name.replace(/Command$/, '');
    calls.push({ name, input: command.input });
    if (name !== 'ReceiveMessage') return {};
    const next = batches.shift();
    if (next) return { Messages: next };
    await new Promise((_resolve, reject) =>
      options?.abortSignal?.addEventListener('abort', () =>
        reject(Object.assign(new Error('aborted'), { name: 'AbortError' })),
      ),
    );
    return {};
  };
  return { client: { send } as unknown as SQSClient, calls, named: (n: string) => calls.filter((c) => c.name === n) };
}

const message = (id: string, key: string, eventName = 'ObjectCreated:Put', sentMsAgo = 2_000): Message => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}`,
  Body: JSON.stringify(awsS3Event(eventName, 'bucket', key)),
  Attributes: { SentTimestamp: String(1_000_000 - sentMsAgo), ApproximateReceiveCount: '1' },
});

const observer = (): sinon.SinonStubbedInstance<S3EventObserver> => ({
  received: sinon.stub(),
  handled: sinon.stub(),
  failed: sinon.stub(),
  receiveFailed: sinon.stub(),
});

const settings = { queueUrl: 'https://sqs/q', bucket: 'bucket', waitSeconds: 20, batchSize: 10, retryDelaySeconds: 7 };

describe('SqsS3EventConsumer', () => {
  afterEach(() => sinon.restore());

  it('deletes a message only after its use case has finished, and reports the outcome and the lag', async () => {
    const sqs = fakeSqs([[message('m1', 'files/a')]]);
    let finish!: (outcome: string) => void;
    const created = sinon.stub().returns(new Promise<string>((resolve) => (finish = resolve)));
    const seen = observer();
    const consumer = new SqsS3EventConsumer(
      sqs.client,
      settings,
      { created, removed: sinon.stub() },
      seen,
      () => 1_000_000,
    );
    consumer.start();
    await until(() => created.called);
    expect(sqs.named('DeleteMessage')).to.deep.equal([]);
    finish('ready');
    await until(() => sqs.named('DeleteMessage').length === 1);
    expect(sqs.named('DeleteMessage')[0]?.input).to.deep.equal({ QueueUrl: 'https://sqs/q', ReceiptHandle: 'rh-m1' });
    expect(created.firstCall.args[0]).to.include({ key: 'files/a', kind: 'created' });
    expect(seen.handled.firstCall.args.slice(1)).to.deep.equal(['ready', 2]);
    await consumer.stop();
  });

  it('keeps a message that failed, visible again after the retry delay, and goes on with the next', async () => {
    const sqs = fakeSqs([
      [
        message('bad', 'files/a', 'ObjectRemoved:Delete'),
        { ...message('poison', 'x'), Body: '<html>' },
        message('ok', 'files/b'),
      ],
    ]);
    const removed = sinon.stub().rejects(Object.assign(new Error('database down'), { code: 'DB.UNAVAILABLE' }));
    const created = sinon.stub().resolves('unchanged');
    const seen = observer();
    const consumer = new SqsS3EventConsumer(sqs.client, settings, { created, removed }, seen);
    consumer.start();
    await until(() => sqs.named('DeleteMessage').length === 1);
    await consumer.stop();
    expect(sqs.named('DeleteMessage').map((c) => c.input.ReceiptHandle)).to.deep.equal(['rh-ok']);
    expect(
      sqs.named('ChangeMessageVisibility').map((c) => [c.input.ReceiptHandle, c.input.VisibilityTimeout]),
    ).to.deep.equal([
      ['rh-bad', 7],
      ['rh-poison', 7],
    ]);
    expect(seen.failed.callCount).to.equal(2);
  });

  it('skips records of another bucket without calling a use case, and deletes their message', async () => {
    const other = {
      ...message('o', 'files/a'),
      Body: JSON.stringify(awsS3Event('ObjectCreated:Put', 'elsewhere', 'files/a')),
    };
    const sqs = fakeSqs([[other]]);
    const created = sinon.stub().resolves('ready');
    const consumer = new SqsS3EventConsumer(sqs.client, settings, { created, removed: sinon.stub() }, observer());
    consumer.start();
    await until(() => sqs.named('DeleteMessage').length === 1);
    await consumer.stop();
    expect(created.called).to.equal(false);
  });

  it('on stop finishes the message in hand, makes the rest of the batch visible at once and polls no more', async () => {
    const sqs = fakeSqs([[message('m1', 'files/a'), message('m2', 'files/b'), message('m3', 'files/c')]]);
    let finish!: (outcome: string) => void;
    const created = sinon
      .stub()
      .onFirstCall()
      .returns(new Promise<string>((resolve) => (finish = resolve)));
    const consumer = new SqsS3EventConsumer(sqs.client, settings, { created, removed: sinon.stub() }, observer());
    consumer.start();
    await until(() => created.called);
    const stopped = consumer.stop();
    finish('ready');
    await stopped;
    expect(created.callCount).to.equal(1);
    expect(sqs.named('DeleteMessage').map((c) => c.input.ReceiptHandle)).to.deep.equal(['rh-m1']);
    const [released] = sqs.named('ChangeMessageVisibilityBatch');
    expect(released?.input.Entries).to.deep.equal([
      { Id: '0', ReceiptHandle: 'rh-m2', VisibilityTimeout: 0 },
      { Id: '1', ReceiptHandle: 'rh-m3', VisibilityTimeout: 0 },
    ]);
    expect(sqs.named('ReceiveMessage')).to.have.length(1);
  });

  it('stops a long poll under way at once', async () => {
    const sqs = fakeSqs([]);
    const consumer = new SqsS3EventConsumer(
      sqs.client,
      settings,
      { created: sinon.stub(), removed: sinon.stub() },
      observer(),
    );
    consumer.start();
    await until(() => sqs.named('ReceiveMessage').length === 1);
    const started = Date.now();
    await consumer.stop();
    expect(Date.now() - started).to.be.lessThan(1_000);
    expect(consumer.running).to.equal(false);
  });

  it('retries a failed receive after a pause, reports it, and is not ready until a receive succeeds', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const sqs = fakeSqs([]);
    let failures = 1;
    const send = sqs.client.send.bind(sqs.client);
    sinon.stub(sqs.client, 'send').callsFake(async (command: unknown, options?: unknown) => {
      if (failures-- > 0) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' });
      return send(command as never, options as never);
    });
    const seen = observer();
    const consumer = new SqsS3EventConsumer(
      sqs.client,
      settings,
      { created: sinon.stub(), removed: sinon.stub() },
      seen,
    );
    consumer.start();
    await until(() => seen.receiveFailed.called);
    expect(consumer.connected).to.equal(false);
    await clock.tickAsync(1_000);
    clock.restore();
    await until(() => sqs.named('ReceiveMessage').length === 1);
    await consumer.stop();
  });
});
