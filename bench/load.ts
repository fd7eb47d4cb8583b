import http from 'node:http';
import { createRequire } from 'node:module';
import bcrypt from 'bcrypt';
import { cpuMicros, ownCpuMicros, postgresCpuMicros, postgresCpuSince } from './processes.js';

export interface Measured {
  rps: number;
  p50: number;
  p99: number;
  /** Responses that were not 2xx, plus connection errors and timeouts. */
  failures: number;
  /** CPU the server process used per answered request (every thread): steadier than req/s on a busy machine. */
  cpuUs: number;
  /** CPU PostgreSQL's processes used per answered request (NaN where no database is involved). */
  dbCpuUs: number;
  /** CPU the load generator (autocannon, in this process) used per answered request. */
  loadCpuUs: number;
}

export interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
export interface CannonOptions {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  timeout?: number;
  headers?: Record<string, string>;
  requests?: Array<
    CannonRequest & {
      setupRequest?: (req: CannonRequest) => CannonRequest;
      onResponse?: (status: number, body: string) => void;
    }
  >;
}
interface CannonResult {
  duration: number;
  latency: { p50: number; p99: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

// autocannon ships no types; this is the part of its API the bench uses.
const autocannon = createRequire(import.meta.url)('autocannon') as (options: CannonOptions) => Promise<CannonResult>;

/** Drives the server whose process is `pid` and measures it. */
export async function drive(pid: number, options: CannonOptions): Promise<Measured> {
  const cpuBefore = cpuMicros(pid);
  const dbBefore = postgresCpuMicros();
  const selfBefore = process.cpuUsage();
  const result = await autocannon({ pipelining: 1, timeout: 30, ...options });
  const cpu = cpuMicros(pid) - cpuBefore;
  const db = postgresCpuSince(dbBefore);
  const self = process.cpuUsage(selfBefore);
  const completed = result['2xx'] + result.non2xx;
  return {
    rps: completed / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    cpuUs: completed ? cpu / completed : NaN,
    dbCpuUs: completed ? db / completed : NaN,
    loadCpuUs: completed ? (self.user + self.system) / completed : NaN,
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** `concurrency` compares kept in flight for `seconds`: the throughput libuv's thread pool allows. */
export async function bcryptCompareThroughput(
  plain: string,
  hash: string,
  concurrency: number,
  seconds: number,
): Promise<Measured> {
  const latencies: number[] = [];
  const cpuBefore = ownCpuMicros(process.pid);
  const started = performance.now();
  const end = started + seconds * 1000;
  const lane = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      if (!(await bcrypt.compare(plain, hash))) throw new Error('bcrypt baseline: the hash does not match');
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const cpuUs = (ownCpuMicros(process.pid) - cpuBefore) / latencies.length;
  return {
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures: 0,
    cpuUs,
    dbCpuUs: NaN,
    loadCpuUs: NaN,
  };
}

/**
 * Large answers (file downloads): autocannon's client spends ~17 ms of CPU per MiB of body, more
 * than either server, so these are fetched with node:http (keep-alive, `connections` requests in
 * flight, bodies read and dropped) and measured the same way as `drive`.
 */
export async function driveDownloads(
  pid: number,
  options: { url: string; connections: number; duration: number; headers?: Record<string, string> },
): Promise<Measured> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let failures = 0;
  const cpuBefore = cpuMicros(pid);
  const dbBefore = postgresCpuMicros();
  const selfBefore = process.cpuUsage();
  const started = performance.now();
  const end = started + options.duration * 1000;
  const once = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.get(options.url, { agent, headers: options.headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - t0);
          else failures += 1;
          resolve();
        });
        res.on('error', () => ((failures += 1), resolve()));
      });
      req.on('error', () => ((failures += 1), resolve()));
    });
  const lane = async () => {
    while (performance.now() < end) await once();
  };
  await Promise.all(Array.from({ length: options.connections }, lane));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuMicros(pid) - cpuBefore;
  const db = postgresCpuSince(dbBefore);
  const self = process.cpuUsage(selfBefore);
  agent.destroy();
  const completed = latencies.length + failures;
  latencies.sort((a, b) => a - b);
  return {
    rps: completed / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures,
    cpuUs: completed ? cpu / completed : NaN,
    dbCpuUs: completed ? db / completed : NaN,
    loadCpuUs: completed ? (self.user + self.system) / completed : NaN,
  };
}
