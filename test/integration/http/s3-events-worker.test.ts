import {
  CopyObjectCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import type { Container } from 'inversify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import nock from 'nock';
import { parseConfig } from '../../../src/infrastructure/config.js';
import { startS3EventsWorker, type RunningWorker } from '../../../src/infrastructure/container/s3-events-worker.js';
import { TOKENS as T } from '../../../src/infrastructure/container/tokens.js';
import { createLogger } from '../../../src/infrastructure/logging.js';
import { ManualClock } from '../../support/fakes.js';
import { bearer } from '../../support/file-http.js';
import { aSignedInUser, send } from '../../support/http-client.js';
import {
  createTestBucket,
  motoEnv,
  motoS3Client,
  requireMoto,
  type Moto,
  type TestBucket,
} from '../../support/moto.js';
import { startPortico, type Portico } from '../../support/portico.js';
import { createTestDatabase, postgresEnv, requirePostgres, type TestDatabase } from '../../support/postgres.js';
import { awsS3Event, drainBodies, motoSqsClient, sendBody } from '../../support/s3-events.js';
import { startChild } from '../../support/start-child.js';
import { until } from '../../support/until.js';

const HOUR = 3_600_000;
type Person = Awaited<ReturnType<typeof aSignedInUser>>;

/**
 * The three drift cases as a whole system: the API and the S3 event worker, two compositions of the
 * same root sharing a PostgreSQL database, on moto's S3 and SQS, the bucket and queues made by the
 * real `npm run bucket:setup`. moto sends ObjectCreated (Put, Copy, CompleteMultipartUpload) and
 * ObjectRemoved:Delete (the last version deleted by id) itself; a delete marker and a lifecycle
 * expiration it never reports, so those records are fed to the queue in the shape AWS documents.
 */
describe('The S3 event worker keeps the catalog true (API + worker + S3 + SQS on moto)', function () {
  this.timeout(60_000);
  let moto: Moto;
  let s3: S3Client;
  let sqs: SQSClient;
  let bucket: TestBucket;
  let database: TestDatabase;
  let app: Portico;
  let worker: RunningWorker;
  let queueUrl: string;
  let deadLetterUrl: string;
  let env: Record<string, string>;
  let alice: Person;
  const workerLogs: string[] = [];
  const saved: Record<string, string | undefined> = {};
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portico-worker-'));

  const startWorker = (extra: Record<string, string> = {}, clock?: ManualClock) => {
    const config = parseConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env, ...extra });
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (workerLogs.push(chunk.toString()), done()) });
    const override = clock ? { override: (c: Container) => void c.rebind(T.Clock).toConstantValue(clock) } : {};
    return startS3EventsWorker(config, createLogger('info', sink), override);
  };
  const fileOf = async (id: string) => send(app, 'GET', `/v1/files/${id}`, { token: alice.token });
  /** The row's status: a gone file answers 410 FILE.GONE; no row at all, 404 (`absent`). */
  const statusOf = async (id: string) => {
    const res = await fileOf(id);
    if (res.status === 410 && res.body.code === 'FILE.GONE') return 'gone';
    return (res.body.file?.status as string | undefined) ?? (res.status === 404 ? 'absent' : `answered ${res.status}`);
  };
  const versionsOf = async (id: string) => {
    const res = await send(app, 'GET', `/v1/files/${id}/versions`, { token: alice.token });
    expect(res.status, res.text).to.equal(200);
    return (res.body.items as { versionId: string; isLatest: boolean; size: number }[]).map((v) => [
      v.versionId,
      v.isLatest,
      v.size,
    ]);
  };
  const eventually = async (id: string, status: string) => {
    await until(async () => (await statusOf(id)) === status, { everyMs: 50, withinMs: 15_000 });
    expect(await statusOf(id)).to.equal(status);
  };
  const keyOf = (id: string) => `files/${alice.id}/${id}`;
  const uploadThroughApi = async (bytes: Buffer) => {
    const res = await fetch(`${app.url}/v1/files?name=a.bin`, {
      method: 'POST',
      headers: bearer(alice.token),
      body: new Uint8Array(bytes),
    });
    expect(res.status).to.equal(201);
    return ((await res.json()) as { file: { id: string; versionId: string; checksum: string } }).file;
  };
  const startDirectUpload = async (size: number) => {
    const res = await send(app, 'POST', '/v1/files/uploads', {
      token: alice.token,
      json: { name: 'direct.bin', contentType: 'application/octet-stream', size },
    });
    expect(res.status, res.text).to.equal(201);
    return res.body as { file: { id: string }; upload: { url: string; headers: Record<string, string> } };
  };
  const metric = async (line: RegExp) => {
    const text = await (await fetch(`${worker.statusUrl}/metrics`)).text();
    return Number(line.exec(text)?.[1] ?? 0);
  };

  before(async function () {
    moto = requireMoto(this);
    await requirePostgres(this);
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    for (const [name, value] of Object.entries(motoEnv(moto))) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    s3 = motoS3Client(moto);
    sqs = motoSqsClient(moto);
    bucket = await createTestBucket(s3);
    const queueName = `portico-events-${randomBytes(5).toString('hex')}`;
    database = await createTestDatabase();
    env = {
      ...postgresEnv(database),
      FILE_STORE: 's3',
      S3_BUCKET: bucket.name,
      S3_REGION: moto.region,
      S3_FORCE_PATH_STYLE: 'true',
      S3_EVENTS_QUEUE_URL: `${moto.endpoint}/123456789012/${queueName}`,
      S3_EVENTS_MAX_RECEIVES: '2',
      S3_EVENTS_WAIT_S: '1',
      S3_EVENTS_RETRY_DELAY_S: '0',
      WORKER_PORT: '0',
      UPLOAD_SWEEP_INTERVAL_MINUTES: '0',
    };
    const setup = startChild('node', ['--import', 'tsx', 'src/infrastructure/cli/bucket-setup.ts'], {
      ...motoEnv(moto),
      ...env,
      DB_DRIVER: 'memory',
      DATA_DIR: dataDir,
    });
    const done = await setup.finished;
    expect(done.code, done.output).to.equal(0);
    expect(done.stdout)
      .to.include(`queue ${queueName}: created`)
      .and.include(`dead-letter queue ${queueName}-dlq: created`);
    expect(done.stdout).to.match(
      /event notifications: s3:ObjectCreated:\*, s3:ObjectRemoved:\*, s3:LifecycleExpiration:\* -> arn:aws:sqs:/,
    );
    queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl ?? '';
    deadLetterUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: `${queueName}-dlq` }))).QueueUrl ?? '';
    app = await startPortico(env);
    worker = await startWorker();
    alice = await aSignedInUser(app);
  });

  after(async () => {
    await worker?.stop();
    await app?.stop();
    await bucket?.remove();
    if (queueUrl) for (const url of [queueUrl, deadLetterUrl]) await drainBodies(sqs, url).catch(() => undefined);
    await database?.drop();
    s3?.destroy();
    sqs?.destroy();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dataDir, { recursive: true, force: true });
    nock.enableNetConnect();
  });

  it('marks a direct upload ready when its object arrived, though the client never called complete', async () => {
    const bytes = randomBytes(1234);
    const { file, upload } = await startDirectUpload(bytes.length);
    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: new Uint8Array(bytes) });
    expect(put.status).to.equal(200);
    await eventually(file.id, 'ready');
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket.name, Key: keyOf(file.id) }));
    const row = (await fileOf(file.id)).body.file;
    expect([row.size, row.versionId, row.checksum]).to.deep.equal([1234, head.VersionId, undefined]);
    const content = await fetch(`${app.url}/v1/files/${file.id}/content`, { headers: bearer(alice.token) });
    expect(Buffer.from(await content.arrayBuffer())).to.deep.equal(bytes);
  });

  it('marks a file deleted outside the API gone (a delete marker: the DeleteMarkerCreated record S3 sends, fed in), lists its versions and restores one', async () => {
    const bytes = randomBytes(10);
    const file = await uploadThroughApi(bytes);
    const { VersionId } = await s3.send(new DeleteObjectCommand({ Bucket: bucket.name, Key: keyOf(file.id) }));
    await sendBody(
      sqs,
      queueUrl,
      awsS3Event('ObjectRemoved:DeleteMarkerCreated', bucket.name, keyOf(file.id), { versionId: VersionId }),
    );
    await eventually(file.id, 'gone');
    const listed = await send(app, 'GET', '/v1/files?limit=100', { token: alice.token });
    expect((listed.body.items as { id: string }[]).map((f) => f.id)).not.to.include(file.id);
    const content = await send(app, 'GET', `/v1/files/${file.id}/content`, { token: alice.token });
    expect([content.status, content.body.code]).to.deep.equal([410, 'FILE.GONE']);
    // The store lists object versions only: the delete marker on top shows as no version being the latest.
    expect(await versionsOf(file.id)).to.deep.equal([[file.versionId, false, 10]]);
    const restored = await send(app, 'POST', `/v1/files/${file.id}/versions/${file.versionId}/restore`, {
      token: alice.token,
    });
    expect(restored.status, restored.text).to.equal(200);
    expect(restored.body.file).to.include({ status: 'ready', size: 10, checksum: file.checksum });
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket.name, Key: keyOf(file.id) }));
    expect(restored.body.file.versionId).to.equal(head.VersionId).and.not.equal(file.versionId);
    const back = await fetch(`${app.url}/v1/files/${file.id}/content`, { headers: bearer(alice.token) });
    expect(Buffer.from(await back.arrayBuffer())).to.deep.equal(bytes);
    expect(await statusOf(file.id)).to.equal('ready');
  });

  it('marks a file expired by a lifecycle rule gone (the LifecycleExpiration:DeleteMarkerCreated record, fed in)', async () => {
    const file = await uploadThroughApi(randomBytes(10));
    // What the expiration does to a current version in a versioned bucket: a delete marker on top.
    await s3.send(new DeleteObjectCommand({ Bucket: bucket.name, Key: keyOf(file.id) }));
    await sendBody(sqs, queueUrl, awsS3Event('LifecycleExpiration:DeleteMarkerCreated', bucket.name, keyOf(file.id)));
    await eventually(file.id, 'gone');
    expect(await versionsOf(file.id)).to.deep.equal([[file.versionId, false, 10]]);
  });

  it('makes a gone file ready again when a version is restored from the console (the ObjectCreated:Copy moto sends)', async () => {
    const file = await uploadThroughApi(randomBytes(12));
    const Key = keyOf(file.id);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket.name, Key }));
    await sendBody(sqs, queueUrl, awsS3Event('ObjectRemoved:DeleteMarkerCreated', bucket.name, Key));
    await eventually(file.id, 'gone');
    const restored = await s3.send(
      new CopyObjectCommand({
        Bucket: bucket.name,
        Key,
        CopySource: `${bucket.name}/${Key}?versionId=${file.versionId}`,
      }),
    );
    await eventually(file.id, 'ready');
    const row = (await fileOf(file.id)).body.file;
    expect([row.versionId, row.size, row.checksum]).to.deep.equal([restored.VersionId, 12, undefined]);
  });

  it('marks a file whose only version was deleted outside the API gone, from the ObjectRemoved:Delete moto sends, and deletes it', async () => {
    const file = await uploadThroughApi(randomBytes(10));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket.name, Key: keyOf(file.id), VersionId: file.versionId }));
    await eventually(file.id, 'gone');
    expect(await versionsOf(file.id)).to.deep.equal([]);
    const deleted = await send(app, 'DELETE', `/v1/files/${file.id}`, { token: alice.token });
    expect(deleted.status, deleted.text).to.equal(204);
    expect(await statusOf(file.id)).to.equal('absent');
  });

  it('records a version restored from the console, and lists the versions with it as the latest', async () => {
    const original = randomBytes(20);
    const file = await uploadThroughApi(original);
    const Key = keyOf(file.id);
    const overwritten = await s3.send(new PutObjectCommand({ Bucket: bucket.name, Key, Body: randomBytes(30) }));
    await until(async () => (await fileOf(file.id)).body.file.versionId === overwritten.VersionId, {
      withinMs: 15_000,
    });
    const restored = await s3.send(
      new CopyObjectCommand({
        Bucket: bucket.name,
        Key,
        CopySource: `${bucket.name}/${Key}?versionId=${file.versionId}`,
      }),
    );
    await until(async () => (await fileOf(file.id)).body.file.versionId === restored.VersionId, { withinMs: 15_000 });
    const row = (await fileOf(file.id)).body.file;
    expect([row.versionId, row.size, row.checksum]).to.deep.equal([restored.VersionId, 20, undefined]);
    const versions = await send(app, 'GET', `/v1/files/${file.id}/versions`, { token: alice.token });
    const items = versions.body.items as { versionId: string; isLatest: boolean; size: number }[];
    expect(items.map((v) => [v.versionId, v.isLatest, v.size])).to.deep.equal([
      [restored.VersionId, true, 20],
      [overwritten.VersionId, false, 30],
      [file.versionId, false, 20],
    ]);
  });

  it('takes the older version back when the current one is deleted by its id (the ObjectRemoved:Delete record, fed in)', async () => {
    const file = await uploadThroughApi(randomBytes(20));
    const Key = keyOf(file.id);
    const newer = await s3.send(new PutObjectCommand({ Bucket: bucket.name, Key, Body: randomBytes(30) }));
    await until(async () => (await fileOf(file.id)).body.file.versionId === newer.VersionId, { withinMs: 15_000 });
    await s3.send(new DeleteObjectCommand({ Bucket: bucket.name, Key, VersionId: newer.VersionId }));
    await sendBody(sqs, queueUrl, awsS3Event('ObjectRemoved:Delete', bucket.name, Key, { versionId: newer.VersionId }));
    await until(async () => (await fileOf(file.id)).body.file.versionId === file.versionId, { withinMs: 15_000 });
    const row = (await fileOf(file.id)).body.file;
    expect([row.status, row.versionId, row.size]).to.deep.equal(['ready', file.versionId, 20]);
  });

  it('takes the same event twice, and a delete delivered before the create it follows, leaving the catalog right', async () => {
    const { file, upload } = await startDirectUpload(8);
    const removedFirst = awsS3Event('ObjectRemoved:Delete', bucket.name, keyOf(file.id), { sequencer: '0A' });
    await sendBody(sqs, queueUrl, removedFirst);
    await until(
      async () => (await metric(/s3_events_records_handled_total\{kind="removed",outcome="unchanged"\} (\d+)/)) > 0,
      { withinMs: 15_000 },
    );
    expect(await statusOf(file.id)).to.equal('pending');
    expect(
      (await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: new Uint8Array(randomBytes(8)) }))
        .status,
    ).to.equal(200);
    await eventually(file.id, 'ready');
    const version = (await fileOf(file.id)).headers.get('etag');
    expect(version).to.be.a('string');
    const unchanged = () => metric(/s3_events_records_handled_total\{kind="created",outcome="unchanged"\} (\d+)/);
    const before = await unchanged();
    const created = awsS3Event('ObjectCreated:Put', bucket.name, keyOf(file.id), { size: 8, sequencer: '0B' });
    await sendBody(sqs, queueUrl, created);
    await sendBody(sqs, queueUrl, created);
    await until(async () => (await unchanged()) >= before + 2, { withinMs: 15_000 });
    expect((await fileOf(file.id)).headers.get('etag')).to.equal(version);
  });

  it('sends a message it cannot read to the dead-letter queue after S3_EVENTS_MAX_RECEIVES receives', async () => {
    const failedBefore = await metric(/s3_events_messages_failed_total (\d+)/);
    await sendBody(sqs, queueUrl, '<Error>not an event</Error>');
    let dead: unknown[] = [];
    await until(
      async () => {
        dead = await drainBodies(sqs, deadLetterUrl);
        return dead.length > 0;
      },
      { everyMs: 200, withinMs: 20_000 },
    );
    expect(dead).to.deep.equal(['<Error>not an event</Error>']);
    expect(await metric(/s3_events_messages_failed_total (\d+)/)).to.equal(failedBefore + 2);
  });

  it('answers health and the metrics named in the docs on its own port', async () => {
    expect((await fetch(`${worker.statusUrl}/health/live`)).status).to.equal(200);
    expect((await fetch(`${worker.statusUrl}/health/ready`)).status).to.equal(200);
    const text = await (await fetch(`${worker.statusUrl}/metrics`)).text();
    for (const name of [
      's3_events_messages_received_total',
      's3_events_records_handled_total',
      's3_events_messages_failed_total',
      's3_events_lag_seconds_bucket',
    ])
      expect(text).to.include(name);
    expect(await metric(/s3_events_messages_received_total (\d+)/)).to.be.greaterThan(0);
  });

  it('removes a pending upload whose object never arrived, by the sweep it runs, after UPLOAD_ABANDON_AFTER_HOURS; one whose object arrived is ready and stays', async () => {
    const { file } = await startDirectUpload(100);
    const arrived = await startDirectUpload(5);
    await fetch(arrived.upload.url, { method: 'PUT', headers: arrived.upload.headers, body: new Uint8Array(5) });
    await eventually(arrived.file.id, 'ready');
    const late = new ManualClock(new Date(Date.now() + 25 * HOUR));
    const sweeping = await startWorker({}, late);
    try {
      await eventually(file.id, 'absent');
    } finally {
      await sweeping.stop();
    }
    expect(await statusOf(arrived.file.id)).to.equal('ready');
  });

  it('runs as `npm run worker` and stops on SIGTERM with exit code 0', async () => {
    const child = startChild(
      'node',
      ['--import', 'tsx', 'src/worker.ts'],
      { ...motoEnv(moto), ...env, DATA_DIR: dataDir, HOST: '127.0.0.1', DB_MIGRATE_ON_START: 'false' },
      { limitMs: 30_000 },
    );
    await child.waitFor(/s3 event worker started/);
    const started = child
      .records<{ msg: string; statusPort?: string }>()
      .find((r) => r.msg === 's3 event worker started');
    expect((await fetch(`http://127.0.0.1:${started?.statusPort}/health/live`)).status).to.equal(200);
    child.kill('SIGTERM');
    const done = await child.finished;
    expect(done.code, done.output).to.equal(0);
    expect(done.stdout).to.include('s3 event worker: stopping');
  });

  it('runs beside the HTTP workers in cluster mode (WORKER=s3-events), and drains with them on SIGTERM', async () => {
    const cluster = startChild(
      'node',
      ['--import', 'tsx', 'src/main.ts'],
      { ...motoEnv(moto), ...env, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', CLUSTER_WORKERS: '2' },
      { limitMs: 60_000 },
    );
    type Line = { msg: string; pid: number };
    const lines = () => cluster.records<Line>();
    await Promise.race([
      until(() => lines().filter((l) => l.msg === 'listening' || l.msg === 's3 event worker started').length === 3),
      cluster.finished,
    ]);
    const worker = lines().find((l) => l.msg === 's3 event worker started');
    const servers = lines().filter((l) => l.msg === 'listening');
    expect(servers, cluster.output()).to.have.length(2);
    expect(servers.map((l) => l.pid)).not.to.include(worker?.pid);
    cluster.kill('SIGTERM');
    const done = await cluster.finished;
    expect(done.code, done.output).to.equal(0);
    expect(lines().filter((l) => l.msg === 's3 event worker: stopping (finishing the message in hand)')).to.have.length(
      1,
    );
  });
});
