// npm run bench: the app against bare baselines on loopback, and the figures that have no baseline
// (scale, idle); see docs/performance.md. BENCH_ONLY=word[,word] runs the scenarios whose key holds one.
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { encodeCursor } from '../src/application/users/cursor.js';
import { USER_SORTS } from '../src/domain/user/user-list.js';
import { analyze, userCount, userKeyAt } from './database.js';
import { appEnv, cleanUp, prepare, type Fixture } from './fixtures.js';
import { drive, type Measured } from './load.js';
import { startApp, startBaseline, type Served } from './processes.js';
import { requestScenarios, type Scenario } from './scenarios.js';
import { MIB, post, procStats, sampleRss } from './streams.js';
import { benchS3Upload } from './upload.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const settings = {
  users: env('BENCH_USERS', 10_000),
  /** The scale scenarios seed up to this many users (npm run seed) and measure again. */
  scaleUsers: env('BENCH_SCALE_USERS', 1_000_000),
  tokens: env('BENCH_TOKENS', 1_000),
  connections: env('BENCH_CONNECTIONS', 50),
  seconds: env('BENCH_SECONDS', 10),
  /** A cost-12 bcrypt compare takes a quarter of a second a core: longer runs for enough logins to count. */
  loginSeconds: env('BENCH_LOGIN_SECONDS', 20),
  rounds: env('BENCH_ROUNDS', 3),
  bcryptCost: env('BENCH_BCRYPT_COST', 12),
  poolMax: env('BENCH_POOL_MAX', 10),
  listLimit: env('BENCH_LIST_LIMIT', 20),
  deepPage: env('BENCH_DEEP_PAGE', 5_000),
  diskUploadBytes: env('BENCH_DISK_UPLOAD_BYTES', 1024 * MIB),
  diskUploadRounds: env('BENCH_DISK_UPLOAD_ROUNDS', 2),
  idleStarts: env('BENCH_IDLE_STARTS', 3),
  only: (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean),
};
/** Every refresh run spends its own chains: two per connection, for the warm-up and each round. */
const refreshTokens = (settings.rounds + 1) * 2 * settings.connections;
const selected = (key: string) => settings.only.length === 0 || settings.only.some((word) => key.includes(word));
const KEYS = [
  'users-by-id',
  'list',
  'refresh',
  'download',
  'health',
  'login',
  'upload-disk',
  'upload-s3',
  'idle',
  'scale',
  'deep-page',
  'cluster',
  'tracing',
];

/** A per-request CPU figure, or '-' where the side has none (the bcrypt baseline runs no database or autocannon). */
const micros = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(0));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const summarize = (runs: Measured[]): Measured => ({
  rps: median(runs.map((r) => r.rps)),
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
  failures: runs.reduce((n, r) => n + r.failures, 0),
  cpuUs: median(runs.map((r) => r.cpuUs)),
  dbCpuUs: median(runs.map((r) => r.dbCpuUs)),
  loadCpuUs: median(runs.map((r) => r.loadCpuUs)),
});
const progress = (line: string) => process.stderr.write(`  ${line}\n`);
const runLine = (label: string, r: Measured) =>
  `${label}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.cpuUs.toFixed(0)} us CPU/req, PostgreSQL ${micros(r.dbCpuUs)} us/req, autocannon ${micros(r.loadCpuUs)} us/req${r.failures ? `, ${r.failures} failures` : ''}`;

async function measure(scenario: Scenario) {
  const runs = { app: [] as Measured[], baseline: [] as Measured[] };
  for (let round = 0; round < settings.rounds; round++) {
    // A/B, then B/A: neither side always runs on a warmer (or hotter) machine.
    const order = round % 2 === 0 ? (['app', 'baseline'] as const) : (['baseline', 'app'] as const);
    for (const side of order) {
      const result = await scenario[side](scenario.seconds);
      runs[side].push(result);
      progress(runLine(`${scenario.key} [${side} ${round + 1}/${settings.rounds}]`, result));
    }
  }
  return { app: summarize(runs.app), baseline: summarize(runs.baseline) };
}

/** The same scenario's app side, `rounds` times: the median (scale and deep page have no baseline). */
async function appOnly(label: string, run: (seconds: number) => Promise<Measured>): Promise<Measured> {
  const runs: Measured[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    runs.push(await run(settings.seconds));
    progress(runLine(`${label} [${round + 1}/${settings.rounds}]`, runs.at(-1)!));
  }
  return summarize(runs);
}

interface Verdict {
  line: string;
  met: boolean;
}
const out: string[] = [];
const verdicts: Verdict[] = [];
const verdict = (line: string, met: boolean) => verdicts.push({ line: `${line}: ${met ? 'met' : 'NOT met'}`, met });

function requestTable(rows: Array<{ scenario: Scenario; app: Measured; baseline: Measured }>) {
  const fmt = (m: Measured) =>
    `${m.rps.toFixed(0).padStart(7)} | ${m.p50.toFixed(1).padStart(7)} | ${m.p99.toFixed(1).padStart(7)} | ${m.cpuUs.toFixed(0).padStart(6)} | ${micros(m.dbCpuUs).padStart(4)}`;
  out.push(
    '| scenario | app req/s | p50 ms | p99 ms | CPU µs/req | PG µs/req | baseline req/s | p50 ms | p99 ms | CPU µs/req | PG µs/req | ratio | target | met |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
  );
  for (const { scenario, app, baseline } of rows) {
    const ratio = app.rps / baseline.rps;
    const met =
      ratio >= scenario.target.ratio &&
      (scenario.target.p99 === undefined || app.p99 < scenario.target.p99) &&
      app.failures === 0;
    const target = `>= ${scenario.target.ratio}${scenario.target.p99 ? `, p99 < ${scenario.target.p99} ms` : ''}`;
    out.push(
      `| ${scenario.name} | ${fmt(app)} | ${fmt(baseline)} | ${ratio.toFixed(2)} | ${target} | ${met ? 'yes' : 'no'}${app.failures ? ` (${app.failures} failures)` : ''} |`,
    );
    verdict(`${scenario.key} ${ratio.toFixed(2)} (${target})`, met);
  }
}

/**
 * POST /v1/files (FILE_STORE=local) against a bare node:http server piping the body to a file, the
 * same bytes, A/B then B/A. The app is a process of its own, started for this, as for the S3 upload
 * (bench/upload.ts): the one the request scenarios ran keeps what their load grew its heap to. Its
 * resident set is sampled every 50 ms during its uploads.
 */
async function diskUpload(base: Served, fixture: Fixture) {
  const app = await startApp(appEnv(fixture, settings), appNodeArgs(), process.env.BENCH_APP_DIR);
  try {
    await uploadsAgainst(app, base, fixture);
  } finally {
    await app.stop();
  }
}

async function uploadsAgainst(app: Served, base: Served, fixture: Fixture) {
  const bytes = settings.diskUploadBytes;
  const token = fixture.signed[1]!.token;
  const viaApp = async () => {
    const res = await post(`${app.url}/v1/files?name=bench-upload.bin`, token, bytes);
    if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${res.text}`);
    const { file } = JSON.parse(res.text) as { file: { id: string; size: number } };
    if (file.size !== bytes) throw new Error(`the app stored ${file.size} bytes of ${bytes}`);
    await fetch(`${app.url}/v1/files/${file.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  };
  const viaBaseline = async () => {
    const res = await post(`${base.url}/upload`, undefined, bytes);
    const { size, path: written } = JSON.parse(res.text) as { size: number; path: string };
    if (res.status !== 201 || size !== bytes) throw new Error(`baseline upload: ${res.status} ${res.text}`);
    await import('node:fs/promises').then((fs) => fs.rm(written));
  };
  const rate = async (work: () => Promise<void>) => {
    const started = performance.now();
    await work();
    return bytes / 1e6 / ((performance.now() - started) / 1000);
  };
  const idle = procStats(app.pid).rssMiB;
  const rss = sampleRss(app.pid, 50);
  const rates = { app: [] as number[], baseline: [] as number[] };
  try {
    for (let round = 0; round < settings.diskUploadRounds; round++) {
      const order = round % 2 === 0 ? (['app', 'baseline'] as const) : (['baseline', 'app'] as const);
      for (const side of order) {
        rates[side].push(await rate(side === 'app' ? viaApp : viaBaseline));
        progress(
          `upload-disk [${side} ${round + 1}/${settings.diskUploadRounds}]: ${rates[side].at(-1)!.toFixed(0)} MB/s`,
        );
      }
    }
  } finally {
    rss.stop();
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const ratio = mean(rates.app) / mean(rates.baseline);
  const peak = rss.sampled.most;
  out.push(
    `upload to disk, ${(bytes / MIB).toFixed(0)} MiB x ${settings.diskUploadRounds}: POST /v1/files ${mean(rates.app).toFixed(0)} MB/s (${rates.app.map((r) => r.toFixed(0)).join(', ')}), ` +
      `bare node:http to a file ${mean(rates.baseline).toFixed(0)} MB/s (${rates.baseline.map((r) => r.toFixed(0)).join(', ')}), ratio ${ratio.toFixed(2)}; ` +
      `app RSS ${idle.toFixed(0)} MiB before, highest sample ${peak.toFixed(0)} MiB`,
  );
  verdict(
    `upload-disk ${ratio.toFixed(2)} (>= 0.8) at ${peak.toFixed(0)} MiB (< 191 MiB = 200 MB)`,
    ratio >= 0.8 && peak < 191,
  );
}

async function s3Upload() {
  const r = await benchS3Upload();
  out.push(
    `upload to S3 (moto): POST /v1/files ${r.app.toFixed(1)} MB/s, SDK Upload ${r.sdk.toFixed(1)} MB/s, ratio ${r.ratio.toFixed(2)}; app RSS ${r.idleMiB.toFixed(0)} MiB idle, peak ${r.peakMiB.toFixed(0)} MiB`,
  );
  verdict(
    `upload-s3 ${r.ratio.toFixed(2)} (>= 1.0) at ${r.peakMiB.toFixed(0)} MiB (< 191 MiB)`,
    r.ratio >= 1 && r.peakMiB < 191,
  );
}

/**
 * `npm run start:prod` as a new process: exec to the first 200 from /health/ready, then its RSS 2 s
 * later and once idle (25 s: V8's memory reducer returns the young generation that the boot grew,
 * about 16 MiB, some 20 s after the last allocation burst).
 */
async function idle(fixture: Fixture) {
  const starts: Array<{ readyMs: number; early: number; settled: number }> = [];
  for (let i = 0; i < settings.idleStarts; i++) {
    const started = performance.now();
    // As production starts on PostgreSQL: migrations ran once, before (DB_MIGRATE_ON_START's default there).
    const env = { ...appEnv(fixture, settings), DB_MIGRATE_ON_START: 'false' };
    const served = await startApp(env, [], process.env.BENCH_APP_DIR, 10);
    const readyMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, 2_000));
    const early = procStats(served.pid).rssMiB;
    await new Promise((r) => setTimeout(r, 23_000));
    starts.push({ readyMs, early, settled: procStats(served.pid).rssMiB });
    await served.stop();
    const last = starts.at(-1)!;
    progress(
      `idle [${i + 1}/${settings.idleStarts}]: ready after ${readyMs.toFixed(0)} ms, RSS ${early.toFixed(0)} MiB at 2 s, ${last.settled.toFixed(0)} MiB at 25 s`,
    );
  }
  const list = (pick: (s: (typeof starts)[number]) => number) => starts.map((s) => pick(s).toFixed(0)).join(', ');
  const ready = median(starts.map((s) => s.readyMs));
  const rss = median(starts.map((s) => s.settled));
  out.push(
    `idle (npm run start:prod's flags, PostgreSQL migrated before, local files; ${settings.idleStarts} starts, median): exec to first ready answer ${ready.toFixed(0)} ms ` +
      `(${list((s) => s.readyMs)}); RSS ${median(starts.map((s) => s.early)).toFixed(0)} MiB 2 s after (${list((s) => s.early)}), ` +
      `${rss.toFixed(0)} MiB 25 s after (${list((s) => s.settled)})`,
  );
  verdict(
    `idle ${rss.toFixed(0)} MiB at rest (<= 100), ready in ${ready.toFixed(0)} ms (< 1000)`,
    rss <= 100 && ready < 1000,
  );
}

/** An OTLP/HTTP endpoint that takes every export and drops it: what the tracing variant exports to. */
async function otlpSink(): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * users-by-id on the app as configured against the same app started otherwise (CLUSTER_WORKERS=2;
 * OpenTelemetry tracing on, exporting to a sink), A/B then B/A: the ratio is variant over default.
 * CPU per request counts a cluster's workers with its primary.
 */
async function variants(app: Served, base: Served, fixture: Fixture) {
  const sink = await otlpSink();
  const all: Array<{ key: string; name: string; env: Record<string, string> }> = [
    { key: 'cluster', name: 'CLUSTER_WORKERS=2 vs one process', env: { CLUSTER_WORKERS: '2' } },
    {
      key: 'tracing',
      name: 'tracing on (OTLP/HTTP protobuf, every request sampled) vs off',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint },
    },
  ];
  const chosen = all.filter((v) => selected(v.key));
  try {
    for (const variant of chosen) {
      const other = await startApp(
        { ...appEnv(fixture, settings), ...variant.env },
        appNodeArgs(),
        process.env.BENCH_APP_DIR,
      );
      try {
        const byId = (served: Served) =>
          requestScenarios(served, base, fixture, settings).find((s) => s.key === 'users-by-id')!;
        const { app: variantRun, baseline: defaultRun } = await measure({
          ...byId(other),
          key: variant.key,
          app: byId(other).app,
          baseline: byId(app).app,
        });
        const ratio = variantRun.rps / defaultRun.rps;
        out.push(
          `${variant.name}, GET /v1/users/{id}: ${variantRun.rps.toFixed(0)} vs ${defaultRun.rps.toFixed(0)} req/s (ratio ${ratio.toFixed(2)}), ` +
            `p99 ${variantRun.p99.toFixed(1)} vs ${defaultRun.p99.toFixed(1)} ms, CPU ${variantRun.cpuUs.toFixed(0)} vs ${defaultRun.cpuUs.toFixed(0)} µs/req`,
        );
      } finally {
        await other.stop();
      }
    }
  } finally {
    await sink.close();
  }
}

/** `npm run seed -- --users N` from the build, into the bench's database. */
async function seedMore(fixture: Fixture, count: number): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/infrastructure/cli/seed.js', '--users', String(count)], {
      cwd: new URL('..', import.meta.url),
      env: { ...process.env, ...fixture.dbEnv, DB_DRIVER: 'postgres', NODE_ENV: 'development', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seed exited ${code}:\n${output}`))));
  });
  return (performance.now() - started) / 1000;
}

/**
 * users-by-id and the list at the fixture's size, then at BENCH_SCALE_USERS (seeded by the app's
 * own npm run seed), app side only: p99 at the large size over p99 at the small one. Then the deep
 * page: the list BENCH_DEEP_PAGE pages in against page 1, on the large table.
 */
async function scale(app: Served, fixture: Fixture, scenarios: Scenario[]) {
  const byId = scenarios.find((s) => s.key === 'users-by-id')!;
  const list = scenarios.find((s) => s.key === 'list')!;
  const small = await userCount(fixture.database.name);
  await byId.app(3);
  await list.app(3);
  const before = {
    byId: await appOnly(`scale users-by-id @${small}`, byId.app),
    list: await appOnly(`scale list @${small}`, list.app),
  };
  const seedSeconds = await seedMore(fixture, settings.scaleUsers - small);
  await analyze(fixture.database.name);
  const large = await userCount(fixture.database.name);
  out.push(
    `seeding: npm run seed -- --users ${settings.scaleUsers - small} took ${seedSeconds.toFixed(0)} s (${((settings.scaleUsers - small) / seedSeconds).toFixed(0)} users/s)`,
  );
  const after = {
    byId: await appOnly(`scale users-by-id @${large}`, byId.app),
    list: await appOnly(`scale list @${large}`, list.app),
  };
  for (const key of ['byId', 'list'] as const) {
    const growth = after[key].p99 / before[key].p99;
    const name = key === 'byId' ? 'users-by-id' : 'list';
    out.push(
      `scale ${name}: ${small} users p50 ${before[key].p50.toFixed(1)} / p99 ${before[key].p99.toFixed(1)} ms, ${before[key].rps.toFixed(0)} req/s, ${before[key].cpuUs.toFixed(0)} µs CPU; ` +
        `${large} users p50 ${after[key].p50.toFixed(1)} / p99 ${after[key].p99.toFixed(1)} ms, ${after[key].rps.toFixed(0)} req/s, ${after[key].cpuUs.toFixed(0)} µs CPU; p99 x${growth.toFixed(2)}`,
    );
    verdict(`scale ${name} p99 x${growth.toFixed(2)} (< 1.3)`, growth < 1.3 && after[key].failures === 0);
  }
  if (selected('deep-page')) await deepPage(app, fixture, large);
}

/**
 * The list at depth, in every sort: page 1 and page BENCH_DEEP_PAGE + 1 (its cursor built from the
 * row at that position), p50 of each and their ratio; then filtered first pages (role, status, q).
 */
async function deepPage(app: Served, fixture: Fixture, users: number) {
  const position = settings.deepPage * settings.listLimit - 1;
  if (position >= users) throw new Error(`page ${settings.deepPage} needs more than ${users} users`);
  const page = (query: string) => (seconds: number) =>
    drive(app.pid, {
      connections: settings.connections,
      duration: seconds,
      url: `${app.url}/v1/users?limit=${settings.listLimit}${query}`,
      headers: { authorization: `Bearer ${fixture.admin}` },
    });
  const growths: number[] = [];
  let failures = 0;
  for (const sort of USER_SORTS) {
    const cursor = encodeCursor(await userKeyAt(fixture.database.name, sort, position), sort, {});
    const first = await appOnly(`list ${sort} page 1`, page(`&sort=${sort}`));
    const deep = await appOnly(
      `list ${sort} page ${settings.deepPage + 1}`,
      page(`&sort=${sort}&cursor=${encodeURIComponent(cursor)}`),
    );
    const growth = deep.p50 / first.p50;
    growths.push(growth);
    failures += first.failures + deep.failures;
    out.push(
      `list sort=${sort} on ${users} users: page 1 p50 ${first.p50.toFixed(1)} ms (${first.rps.toFixed(0)} req/s), ` +
        `page ${settings.deepPage + 1} p50 ${deep.p50.toFixed(1)} ms (${deep.rps.toFixed(0)} req/s), x${growth.toFixed(2)}`,
    );
  }
  for (const filter of ['role=admin', 'status=disabled', 'status=active&sort=-name', 'q=bench4242', 'q=a&sort=email']) {
    const result = await appOnly(`list ${filter}`, page(`&${filter}`));
    failures += result.failures;
    out.push(
      `list ${filter} on ${users} users: page 1 p50 ${result.p50.toFixed(1)} ms (${result.rps.toFixed(0)} req/s)`,
    );
  }
  const worst = Math.max(...growths);
  verdict(`deep-page p50, worst sort x${worst.toFixed(2)} (<= 1.2)`, worst <= 1.2 && failures === 0);
}

/** BENCH_APP_NODE_ARGS: extra node flags for the app process (say, --trace-gc or a V8 heap setting). */
const appNodeArgs = () => (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);

async function main() {
  const loadAtStart = os.loadavg()[0]!;
  const { fixture, app } = await prepare({ ...settings, refreshTokens }, appNodeArgs());
  const running: Served[] = [app];
  try {
    const base = await startBaseline({
      ...fixture.dbEnv,
      DB_POOL_MAX: String(settings.poolMax),
      JWT_PRIVATE_KEY: fixture.pem,
      BENCH_DOWNLOAD_PATH: fixture.download.blobPath,
      BENCH_UPLOAD_DIR: fixture.scratchDir,
    });
    running.push(base);
    const all = requestScenarios(app, base, fixture, settings);
    const chosen = all.filter((s) => selected(s.key));
    // Warm both (JIT, pools) before anything is measured; login is slow and needs no warming.
    for (const s of chosen.filter((c) => c.key !== 'login')) {
      await s.app(3);
      await s.baseline(3);
    }
    const rows = [];
    for (const scenario of chosen) rows.push({ scenario, ...(await measure(scenario)) });
    if (rows.length) requestTable(rows);
    if (selected('upload-disk')) await diskUpload(base, fixture);
    if (selected('upload-s3')) await s3Upload();
    if (selected('idle')) await idle(fixture);
    if (selected('cluster') || selected('tracing')) await variants(app, base, fixture);
    if (selected('scale') || selected('deep-page')) await scale(app, fixture, all);
  } finally {
    for (const served of running.reverse()) await served.stop();
    await fixture.database.drop();
    await cleanUp(fixture);
  }
  console.log(
    `\n${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), node ${process.version}, ${settings.connections} connections, ` +
      `${settings.seconds} s (login ${settings.loginSeconds} s) x ${settings.rounds} rounds, median; pool ${settings.poolMax}, ${settings.users} users, ` +
      `1-min load average at start ${loadAtStart.toFixed(2)}, at end ${os.loadavg()[0]!.toFixed(2)}`,
  );
  console.log(out.join('\n'));
  console.log(`\ntargets: ${verdicts.filter((v) => v.met).length} of ${verdicts.length} met`);
  for (const v of verdicts) console.log(`- ${v.line}`);
}

if (settings.only.some((word) => !KEYS.some((key) => key.includes(word))))
  throw new Error(`BENCH_ONLY: no scenario matches ${settings.only.join(',')}; the keys are ${KEYS.join(', ')}`);
await main();
