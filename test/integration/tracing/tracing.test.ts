import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { signIn } from '../../support/accounts-app.js';
import { newPrivateKeyPem } from '../../support/fakes.js';
import { send } from '../../support/http-client.js';
import {
  createTestBucket,
  motoEnv,
  motoS3Client,
  requireMoto,
  type Moto,
  type TestBucket,
} from '../../support/moto.js';
import { createTestDatabase, postgresEnv, requirePostgres, type TestDatabase } from '../../support/postgres.js';
import { listeningPort, startChild, type Child } from '../../support/start-child.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.js';

const ADMIN = { email: 'root@example.com', password: 'root password 1' };
const SERVER = 2;

/** A W3C traceparent of a caller's sampled span, with its trace id. */
function callerTrace() {
  const traceId = randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  return { traceId, parentId, traceparent: `00-${traceId}-${parentId}-01` };
}

const serverSpan = (spans: ReceivedSpan[]) =>
  spans.find((s) => s.kind === SERVER && s.scope === '@opentelemetry/instrumentation-http');
const pgSpans = (spans: ReceivedSpan[]) => spans.filter((s) => s.scope === '@opentelemetry/instrumentation-pg');
const s3Spans = (spans: ReceivedSpan[]) =>
  spans.filter((s) => s.scope === '@opentelemetry/instrumentation-aws-sdk' && s.attributes['rpc.service'] === 'S3');

/** Walks parent links up from `span`: true if it reaches `ancestor`. */
function descendsFrom(span: ReceivedSpan, ancestor: ReceivedSpan, spans: ReceivedSpan[]): boolean {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (let at: ReceivedSpan | undefined = span; at; at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined) {
    if (at.parentSpanId === ancestor.spanId) return true;
  }
  return false;
}

describe('OpenTelemetry tracing (the real process on PostgreSQL and S3 on moto)', function () {
  this.timeout(90_000);
  let database: TestDatabase;
  let moto: Moto;
  let s3: S3Client;
  let bucket: TestBucket;
  let receiver: OtlpReceiver;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portico-tracing-'));
  const modulesFile = path.join(dataDir, 'loaded-modules.txt');

  before(async function () {
    await requirePostgres(this);
    moto = requireMoto(this);
    database = await createTestDatabase();
    s3 = motoS3Client(moto);
    bucket = await createTestBucket(s3);
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await bucket?.remove();
    s3?.destroy();
    await database?.drop();
    await receiver?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const children: Child[] = [];
  // A failed assertion leaves its process running: it must not outlive the suite.
  afterEach(() => children.splice(0).forEach((child) => child.kill('SIGKILL')));

  /** `npm start` with the loaded-module report preloaded, on PostgreSQL and S3, plus `env`. */
  const startApp = (env: Record<string, string>): Child => {
    rmSync(modulesFile, { force: true });
    const child = startChild(
      process.execPath,
      ['--import', 'tsx', '--import', './test/integration/tracing/loaded-modules.ts', 'src/main.ts'],
      {
        ...postgresEnv(database),
        ...motoEnv(moto),
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        DATA_DIR: dataDir,
        BCRYPT_COST: '4',
        JWT_PRIVATE_KEY: newPrivateKeyPem(),
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        FILE_STORE: 's3',
        S3_BUCKET: bucket.name,
        S3_REGION: moto.region,
        S3_FORCE_PATH_STYLE: 'true',
        MAIL_DRIVER: 'memory',
        LOADED_MODULES_FILE: modulesFile,
        ...env,
      },
      { limitMs: 60_000 },
    );
    children.push(child);
    return child;
  };

  const tracingEnv = (scheduleDelayMs: number) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: String(scheduleDelayMs),
  });

  const stop = async (child: Child) => {
    child.kill('SIGTERM');
    const { code, output } = await child.finished;
    expect(code, output).to.equal(0);
  };
  const loadedModules = () => readFileSync(modulesFile, 'utf8');

  it('continues the caller’s trace through the server, PostgreSQL and S3, and names it in its logs and problems', async () => {
    const child = startApp(tracingEnv(100));
    const app = { url: `http://127.0.0.1:${await listeningPort(child)}` };
    const { accessToken } = await signIn(app, ADMIN.email, ADMIN.password);

    const caller = callerTrace();
    const upload = await send(app, 'POST', '/v1/files?name=traced.txt', {
      raw: 'traced bytes',
      contentType: 'text/plain',
      token: accessToken,
      headers: { traceparent: caller.traceparent },
    });
    expect(upload.status, upload.text).to.equal(201);

    const spans = await receiver.waitForTrace(
      caller.traceId,
      (found) => !!serverSpan(found) && pgSpans(found).length > 0 && s3Spans(found).length > 0,
    );
    const server = serverSpan(spans)!;
    expect(server.parentSpanId, 'the server span continues the caller’s span').to.equal(caller.parentId);
    expect(server.service).to.equal('portico');
    expect(server.attributes['http.route'] ?? server.name).to.include('/v1/files');
    for (const span of [...pgSpans(spans), ...s3Spans(spans)]) {
      expect(descendsFrom(span, server, spans), `${span.scope} ${span.name} under the server span`).to.equal(true);
    }
    expect(s3Spans(spans).map((s) => s.attributes['rpc.method'])).to.include('PutObject');
    const putTraces = receiver.spans.filter((s) => s.name === 'S3.PutObject').map((s) => s.traceId);
    expect(putTraces, 'the one upload’s S3 call, in the caller’s trace only').to.deep.equal([caller.traceId]);
    expect(pgSpans(spans).some((s) => /insert/i.test(String(s.attributes['db.statement'] ?? s.name)))).to.equal(true);

    const requestId = upload.headers.get('x-request-id');
    const lines = child.records().filter((line) => line.requestId === requestId);
    expect(lines.map((line) => line.msg)).to.include('request');
    for (const line of lines) expect(line.traceId, JSON.stringify(line)).to.equal(caller.traceId);

    const failing = callerTrace();
    const missing = await send(app, 'GET', '/v1/files/0190f0e6-0000-7000-8000-000000000000', {
      token: accessToken,
      headers: { traceparent: failing.traceparent },
    });
    expect(missing.status, missing.text).to.equal(404);
    expect(missing.body).to.include({ code: 'FILE.NOT_FOUND', traceId: failing.traceId });
    expect(missing.body.requestId).to.equal(missing.headers.get('x-request-id'));

    await stop(child);
    expect(loadedModules()).to.include('@opentelemetry/sdk-node');
  });

  it('exports the spans still buffered when it is stopped with SIGTERM', async () => {
    const child = startApp(tracingEnv(60_000));
    const app = { url: `http://127.0.0.1:${await listeningPort(child)}` };
    const caller = callerTrace();
    const answer = await send(app, 'GET', '/v1/nowhere', { headers: { traceparent: caller.traceparent } });
    expect(answer.status, answer.text).to.equal(404);
    await sleep(300);
    expect(receiver.spans.filter((s) => s.traceId === caller.traceId)).to.deep.equal([]);

    await stop(child);
    expect(serverSpan(receiver.spans.filter((s) => s.traceId === caller.traceId))).to.not.equal(undefined);
  });

  it('with no OTLP endpoint loads no OpenTelemetry SDK and writes no trace id', async () => {
    const child = startApp({});
    const app = { url: `http://127.0.0.1:${await listeningPort(child)}` };
    const caller = callerTrace();
    const missing = await send(app, 'GET', '/v1/nowhere', { headers: { traceparent: caller.traceparent } });
    expect(missing.status).to.equal(404);
    expect(missing.body).to.have.property('requestId');
    expect(missing.body).to.not.have.property('traceId');
    await sleep(100);
    expect(child.records().filter((line) => 'traceId' in line || 'spanId' in line)).to.deep.equal([]);

    await stop(child);
    expect(loadedModules()).to.not.match(/@opentelemetry\/(sdk-|instrumentation)|import-in-the-middle/);
    expect(receiver.spans.filter((s) => s.traceId === caller.traceId)).to.deep.equal([]);
  });
});
