// npm run bench:upload: 1 GiB through POST /v1/files to moto (the S3 server `npm run services` starts),
// against the same bytes sent straight through the SDK's multipart Upload; prints MB/s, the ratio,
// the app's peak RSS and moto's.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import nock from 'nock';
import { createS3Client } from '../src/adapters/files/s3/s3-client.js';
import { patternStream } from '../test/support/file-bytes.js';
import { createTestBucket } from '../test/support/moto.js';
import { motoFromServices, motoPid } from './moto.js';
import { freePort, productionNodeFlags } from './processes.js';
import { MIB, post, procStats, sampleRss } from './streams.js';

// test/support/moto.js brings nock, which intercepts every http request and fetch of this process
// from the moment it is imported and keeps each body: the benchmarks' own requests (the SDK's
// uploads, the downloads, the fixtures) must reach the network as they are. (Until 2026-12-04 they
// did not: the SDK baseline of the S3 upload ran through the interceptor.)
nock.restore();

const settings = {
  bytes: Number(process.env.BENCH_UPLOAD_BYTES ?? 1024 * MIB),
  rounds: Number(process.env.BENCH_UPLOAD_ROUNDS ?? 2),
  /** The app's defaults unless set (src/infrastructure/config/files.ts). */
  partBytes: Number(process.env.MULTIPART_PART_BYTES ?? 5 * MIB),
  queueSize: Number(process.env.MULTIPART_QUEUE_SIZE ?? 4),
};
const ADMIN = { email: 'bench@example.com', password: 'bench password 1' };

interface Child {
  child: ChildProcess;
  output: () => string;
}

/** The built app under plain node, with `start:prod`'s flags. */
function launchApp(env: Record<string, string>): Child {
  // BENCH_APP_NODE_ARGS: extra node flags for the app (as in bench/run.ts).
  const appArgs = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...productionNodeFlags(), ...appArgs, 'dist/main.js'];
  const child = spawn(process.execPath, args, {
    cwd: new URL('..', import.meta.url),
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

const stop = (c: Child) =>
  new Promise<void>((resolve) =>
    c.child.exitCode !== null ? resolve() : (c.child.once('exit', () => resolve()), c.child.kill('SIGTERM')),
  );

async function until<T>(what: string, c: Child, probe: () => Promise<T | undefined>): Promise<T> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    if (c.child.exitCode !== null) throw new Error(`${what} exited:\n${c.output()}`);
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
  }
  throw new Error(`${what} not ready after 60 s:\n${c.output()}`);
}

interface Run {
  path: 'app' | 'sdk';
  seconds: number;
  appCpu: number;
  /** NaN when moto runs on another machine. */
  s3Cpu: number;
  /** This process: generating the bytes, and for `sdk` the SDK's own work. */
  clientCpu: number;
}

const s3Stats = (pid: number | undefined) =>
  pid === undefined ? { peakMiB: NaN, rssMiB: NaN, cpu: NaN } : procStats(pid);

async function measure(path: Run['path'], work: () => Promise<void>, pids: { app: number; s3?: number }): Promise<Run> {
  const [app0, s30, client0] = [procStats(pids.app).cpu, s3Stats(pids.s3).cpu, process.cpuUsage()];
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(client0);
  const clientCpu = (client.user + client.system) / 1e6 / seconds;
  return {
    path,
    seconds,
    appCpu: (procStats(pids.app).cpu - app0) / seconds,
    s3Cpu: (s3Stats(pids.s3).cpu - s30) / seconds,
    clientCpu,
  };
}

export interface S3UploadResult {
  app: number;
  sdk: number;
  ratio: number;
  idleMiB: number;
  peakMiB: number;
}

/** The whole benchmark: prints its lines and returns the means (MB/s) and the app's RSS. */
export async function benchS3Upload(): Promise<S3UploadResult> {
  // Node 20 is this project's runtime; the SDK's notice about newer releases needing 22 is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dataDir = await mkdtemp(path.join(tmpdir(), 'portico-bench-upload-'));
  const moto = motoFromServices();
  const client = createS3Client(
    { region: moto.region, forcePathStyle: true },
    { endpoint: moto.endpoint, credentials: moto.credentials },
  );
  const bucket = await createTestBucket(client).catch((error: unknown) => {
    throw new Error(
      `moto at ${moto.endpoint} did not answer (npm run services starts it): ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  const port = await freePort();
  // As `npm run start:prod` runs it: the build that `npm run bench:upload` makes first.
  const app = launchApp({
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DB_DRIVER: 'memory',
    BCRYPT_COST: '4',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    REQUEST_TIMEOUT_MS: '0',
    FILE_STORE: 's3',
    S3_BUCKET: bucket.name,
    S3_REGION: moto.region,
    S3_FORCE_PATH_STYLE: 'true',
    MULTIPART_PART_BYTES: String(settings.partBytes),
    MULTIPART_QUEUE_SIZE: String(settings.queueSize),
    AWS_ENDPOINT_URL_S3: moto.endpoint,
    AWS_ACCESS_KEY_ID: moto.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: moto.credentials.secretAccessKey,
    AWS_REGION: moto.region,
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    const token = await until('app', app, async () => {
      const res = await fetch(`${base}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      return res.ok ? ((await res.json()) as { accessToken: string }).accessToken : undefined;
    });
    const pids = { app: app.child.pid!, s3: motoPid(moto.endpoint) };
    const idle = procStats(pids.app);
    const viaApp = async () => {
      const res = await post(`${base}/v1/files?name=bench.bin`, token, settings.bytes);
      if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${res.text}`);
      const { file } = JSON.parse(res.text) as { file: { id: string; ownerId: string; size: number } };
      if (file.size !== settings.bytes) throw new Error(`stored ${file.size} bytes`);
      await fetch(`${base}/v1/files/${file.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    };
    const viaSdk = async () => {
      const Key = `bench/direct-${Date.now()}`;
      const params = {
        Bucket: bucket.name,
        Key,
        Body: patternStream(settings.bytes, 42, MIB),
        ContentType: 'application/octet-stream',
        ContentLength: settings.bytes,
        ServerSideEncryption: 'AES256' as const,
      };
      await new Upload({
        client,
        params,
        partSize: settings.partBytes,
        queueSize: settings.queueSize,
        leavePartsOnError: false,
      }).done();
      await client.send(new DeleteObjectCommand({ Bucket: bucket.name, Key }));
    };
    // One small upload each way first: the app loads and compiles the SDK's upload code on first
    // use, and the first connections are opened; steady-state throughput is what is compared.
    const measured = settings.bytes;
    settings.bytes = Math.min(measured, 64 * MIB);
    await viaApp();
    await viaSdk();
    settings.bytes = measured;
    const runs: Run[] = [];
    const motoRss = sampleRss(pids.s3);
    try {
      for (let round = 0; round < settings.rounds; round += 1) {
        // Alternate the order, so neither path always runs on a warmer moto and page cache.
        const order = round % 2 === 0 ? (['app', 'sdk'] as const) : (['sdk', 'app'] as const);
        for (const which of order) runs.push(await measure(which, which === 'app' ? viaApp : viaSdk, pids));
      }
    } finally {
      motoRss.stop();
    }
    return report(
      runs,
      idle,
      procStats(pids.app),
      { ...motoRss.sampled, after: s3Stats(pids.s3).rssMiB },
      moto.endpoint,
    );
  } finally {
    await stop(app);
    await bucket.remove();
    client.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function report(
  runs: Run[],
  idle: ReturnType<typeof procStats>,
  end: ReturnType<typeof procStats>,
  moto: { idle: number; most: number; after: number },
  endpoint: string,
): S3UploadResult {
  const mb = settings.bytes / 1e6;
  const rate = (r: Run) => mb / r.seconds;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const line = (r: Run) =>
    `  ${r.path === 'app' ? 'POST /v1/files' : 'SDK Upload    '}  ${rate(r).toFixed(1).padStart(7)} MB/s  ${r.seconds.toFixed(2).padStart(6)} s   app CPU ${(r.appCpu * 100).toFixed(0).padStart(3)}%   moto CPU ${Number.isNaN(r.s3Cpu) ? '  -' : (r.s3Cpu * 100).toFixed(0).padStart(3)}%   client CPU ${(r.clientCpu * 100).toFixed(0).padStart(3)}%`;
  const app = mean(runs.filter((r) => r.path === 'app').map(rate));
  const sdk = mean(runs.filter((r) => r.path === 'sdk').map(rate));
  const lines = [
    `upload benchmark: ${(settings.bytes / MIB).toFixed(0)} MiB, parts of ${settings.partBytes / MIB} MiB, ${settings.queueSize} in flight, ${settings.rounds} round(s), app from dist/ (npm run build) with ${productionNodeFlags().join(' ')}, moto at ${endpoint}`,
    ...runs.map(line),
    `mean: app ${app.toFixed(1)} MB/s, SDK ${sdk.toFixed(1)} MB/s, ratio ${(app / sdk).toFixed(2)} (target >= 1.0)`,
    `app RSS: ${idle.rssMiB.toFixed(0)} MiB idle, peak (VmHWM) ${end.peakMiB.toFixed(0)} MiB (target < 200 MB = ${(200e6 / MIB).toFixed(0)} MiB)`,
    `moto RSS: ${moto.idle.toFixed(0)} MiB before, highest sample ${moto.most.toFixed(0)} MiB (every 100 ms), ${moto.after.toFixed(0)} MiB after (not a target: moto assembles each multipart object in memory)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return { app, sdk, ratio: app / sdk, idleMiB: idle.rssMiB, peakMiB: end.peakMiB };
}

// npm run bench:upload runs this file; bench/run.ts imports benchS3Upload.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchS3Upload();
