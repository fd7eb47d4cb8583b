// npm run bench: the app against bare baselines on loopback; see docs/performance.md.
import os from 'node:os';
import type { Seeded } from './database.js';
import { PASSWORD, pick, prehashed, prepare } from './fixtures.js';
import { bcryptCompareThroughput, drive, type Measured } from './load.js';
import { startBaseline, type Served } from './processes.js';

const settings = {
  users: Number(process.env.BENCH_USERS ?? 10_000),
  tokens: Number(process.env.BENCH_TOKENS ?? 1_000),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
  /** A cost-12 bcrypt compare takes a quarter of a second a core: longer runs for enough logins to count. */
  loginSeconds: Number(process.env.BENCH_LOGIN_SECONDS ?? 20),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  bcryptCost: Number(process.env.BENCH_BCRYPT_COST ?? 12),
  poolMax: Number(process.env.BENCH_POOL_MAX ?? 10),
  /** Only the scenarios whose name contains this (e.g. "health"). */
  only: process.env.BENCH_ONLY ?? '',
};
interface Scenario {
  name: string;
  target: { ratio: number; p99?: number };
  seconds: number;
  app: (seconds: number) => Promise<Measured>;
  baseline: (seconds: number) => Promise<Measured>;
}

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

function scenarios(
  app: Served,
  base: Served,
  users: Seeded[],
  signed: Array<{ id: string; token: string }>,
  passwordHash: string,
): Scenario[] {
  const load = (duration: number) => ({ connections: settings.connections, duration });
  return [
    {
      name: 'GET /v1/users/{id} (Bearer) vs pg SELECT',
      target: { ratio: 0.6, p99: 50 },
      seconds: settings.seconds,
      app: (seconds) =>
        drive(app.pid, {
          ...load(seconds),
          url: app.url,
          requests: [
            {
              setupRequest: (req) => {
                const { id, token } = pick(signed);
                return {
                  ...req,
                  path: `/v1/users/${id}`,
                  headers: { ...req.headers, authorization: `Bearer ${token}` },
                };
              },
            },
          ],
        }),
      baseline: (seconds) =>
        drive(base.pid, {
          ...load(seconds),
          url: base.url,
          requests: [{ setupRequest: (req) => ({ ...req, path: `/v1/users/${pick(signed).id}` }) }],
        }),
    },
    {
      name: 'GET /health/live vs plain Koa',
      target: { ratio: 0.8 },
      seconds: settings.seconds,
      app: (seconds) => drive(app.pid, { ...load(seconds), url: `${app.url}/health/live` }),
      baseline: (seconds) => drive(base.pid, { ...load(seconds), url: `${base.url}/health/live` }),
    },
    {
      name: `POST /v1/auth/login vs bcrypt.compare (cost ${settings.bcryptCost})`,
      target: { ratio: 0.9 },
      seconds: settings.loginSeconds,
      app: (seconds) =>
        drive(app.pid, {
          ...load(seconds),
          url: app.url,
          requests: [
            {
              method: 'POST',
              setupRequest: (req) => ({
                ...req,
                path: '/v1/auth/login',
                headers: { ...req.headers, 'content-type': 'application/json' },
                body: JSON.stringify({ email: pick(users).email, password: PASSWORD }),
              }),
            },
          ],
        }),
      baseline: (seconds) => bcryptCompareThroughput(prehashed, passwordHash, settings.connections, seconds),
    },
  ];
}

async function measure(scenario: Scenario) {
  const runs = { app: [] as Measured[], baseline: [] as Measured[] };
  for (let round = 0; round < settings.rounds; round++) {
    // A/B, then B/A: neither side always runs on a warmer (or hotter) machine.
    const order = round % 2 === 0 ? (['app', 'baseline'] as const) : (['baseline', 'app'] as const);
    for (const side of order) {
      const result = await scenario[side](scenario.seconds);
      runs[side].push(result);
      process.stderr.write(
        `  ${scenario.name} [${side} ${round + 1}/${settings.rounds}]: ${result.rps.toFixed(0)} req/s, p99 ${result.p99.toFixed(1)} ms, ${result.cpuUs.toFixed(0)} us CPU/req, PostgreSQL ${micros(result.dbCpuUs)} us/req, autocannon ${micros(result.loadCpuUs)} us/req${result.failures ? `, ${result.failures} failures` : ''}\n`,
      );
    }
  }
  return { app: summarize(runs.app), baseline: summarize(runs.baseline) };
}

function report(rows: Array<{ scenario: Scenario; app: Measured; baseline: Measured }>, loadAtStart: number) {
  const fmt = (m: Measured) =>
    `${m.rps.toFixed(0).padStart(7)} | ${m.p50.toFixed(1).padStart(7)} | ${m.p99.toFixed(1).padStart(7)} | ${m.cpuUs.toFixed(0).padStart(6)} | ${micros(m.dbCpuUs).padStart(4)}`;
  console.log(
    `\n${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), node ${process.version}, ${settings.connections} connections, ` +
      `${settings.seconds} s (login ${settings.loginSeconds} s) x ${settings.rounds} rounds, median; pool ${settings.poolMax}, ${settings.users} users, ` +
      `1-min load average at start ${loadAtStart.toFixed(2)}`,
  );
  console.log(
    '| scenario | app req/s | p50 ms | p99 ms | CPU µs/req | PG µs/req | baseline req/s | p50 ms | p99 ms | CPU µs/req | PG µs/req | ratio | target | met |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|');
  for (const { scenario, app, baseline } of rows) {
    const ratio = app.rps / baseline.rps;
    const met =
      ratio >= scenario.target.ratio &&
      (scenario.target.p99 === undefined || app.p99 < scenario.target.p99) &&
      app.failures === 0;
    const target = `>= ${scenario.target.ratio}${scenario.target.p99 ? `, p99 < ${scenario.target.p99} ms` : ''}`;
    console.log(
      `| ${scenario.name} | ${fmt(app)} | ${fmt(baseline)} | ${ratio.toFixed(2)} | ${target} | ${met ? 'yes' : 'no'}${app.failures ? ` (${app.failures} failures)` : ''} |`,
    );
  }
}

async function main() {
  const loadAtStart = os.loadavg()[0]!;
  // BENCH_APP_NODE_ARGS: extra node flags for the app process (say, --trace-gc or a V8 heap setting).
  const { fixture, app } = await prepare(settings, (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean));
  const running: Served[] = [app];
  try {
    const base = await startBaseline({ ...fixture.dbEnv, DB_POOL_MAX: String(settings.poolMax) });
    running.push(base);
    const all = scenarios(app, base, fixture.users, fixture.signed, fixture.passwordHash);
    // Warm both (JIT, pools) before anything is measured.
    for (const s of all.slice(0, 2)) {
      await s.app(3);
      await s.baseline(3);
    }
    const rows = [];
    for (const scenario of all.filter((s) => s.name.includes(settings.only)))
      rows.push({ scenario, ...(await measure(scenario)) });
    report(rows, loadAtStart);
  } finally {
    for (const served of running.reverse()) await served.stop();
    await fixture.database.drop();
  }
}

await main();
