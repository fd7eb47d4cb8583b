import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';

export interface Served {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The fields of /proc/PID/stat after the command name (which sits in parentheses and may hold spaces). */
const statFields = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');

/** CPU time (user + system, every thread) one process has used so far, in microseconds (Linux). */
export function ownCpuMicros(pid: number): number {
  const fields = statFields(pid);
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}

/** The processes whose parent is `pid`, and theirs (a cluster primary's workers). */
function descendants(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(statFields(Number(entry))[1]) === pid) children.push(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/**
 * CPU time (user + system, every thread) a process and the processes it started have used so far,
 * in microseconds (Linux): with CLUSTER_WORKERS the requests are served by the primary's workers.
 */
export function cpuMicros(pid: number): number {
  return [pid, ...descendants(pid)].reduce((sum, each) => {
    try {
      return sum + ownCpuMicros(each);
    } catch {
      return sum; // a worker that ended meanwhile
    }
  }, 0);
}

/**
 * CPU time each PostgreSQL server process (postmaster, backends, background workers) has used so
 * far, by pid, in microseconds (Linux): the database's share of a request competes for the same cores.
 */
export function postgresCpuMicros(): Map<number, number> {
  const used = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === 'postgres')
        used.set(Number(entry), ownCpuMicros(Number(entry)));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return used;
}

/**
 * What PostgreSQL used between two readings. Processes that started in between count whole; those
 * that ended in between (a pool closing an idle connection) are left out, so this errs low.
 */
export function postgresCpuSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, micros] of postgresCpuMicros()) total += micros - (before.get(pid) ?? 0);
  return total;
}

const repoRoot = new URL('..', import.meta.url);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

async function waitUntilReady(url: string, output: () => string, child: ChildProcess, pollMs = 200): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output()}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`not ready after 60 s:\n${output()}`);
}

/**
 * The node flags `npm run start:prod` gives the app (package.json), so the benchmarks run it as
 * production does without a second copy of them.
 */
export function productionNodeFlags(): string[] {
  const scripts = (
    JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  return (scripts['start:prod'] ?? '').split(/\s+/).filter((word) => word.startsWith('--'));
}

/** A script under tsx, or compiled JavaScript (`.js`) under plain node. */
/**
 * `logFile`: the child's stdout (the app's log lines, one per request at info) goes straight to this
 * file instead of through a pipe into this process, which would spend the load generator's CPU on it.
 */
function launch(
  args: string[],
  env: Record<string, string>,
  nodeArgs: string[] = [],
  cwd: URL | string = repoRoot,
  logFile?: string,
) {
  const runner = args[0]?.endsWith('.js') ? [] : ['--import', 'tsx'];
  const logFd = logFile ? openSync(logFile, 'w') : undefined;
  const child = spawn(process.execPath, [...nodeArgs, ...runner, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', logFd ?? 'pipe', 'pipe'],
  });
  if (logFd !== undefined) closeSync(logFd);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  if (process.env.BENCH_ECHO) child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const tail = () => (logFile ? readFileSync(logFile, 'utf8').slice(-20_000) : '');
  return { child, output: () => tail() + output };
}

/**
 * The app as `npm run start:prod` runs it (the `npm run build` output, with its node flags; the
 * bench scripts build first), on a port picked here. At warn level it logs no "listening".
 */
/** `pollMs`: how often readiness is asked (the idle scenario times exec to the first ready answer). */
export async function startApp(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  cwd?: string,
  pollMs = 200,
): Promise<Served> {
  const port = await freePort();
  const logFile = path.join(tmpdir(), `portico-bench-app-${port}.log`);
  const { child, output } = launch(
    ['dist/main.js'],
    { ...env, HOST: '127.0.0.1', PORT: String(port) },
    [...productionNodeFlags(), ...nodeArgs],
    cwd,
    logFile,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${url}/health/ready`, output, child, pollMs);
  const stop = stopper(child);
  return { url, pid: child.pid!, stop: () => stop().then(() => rmSync(logFile, { force: true })) };
}

export async function startBaseline(env: Record<string, string>): Promise<Served> {
  const { child, output } = launch(
    ['bench/baseline-server.ts'],
    env,
    (process.env.BENCH_BASELINE_NODE_ARGS ?? '').split(' ').filter(Boolean),
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /"port":(\d+)/.exec(output());
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`baseline exited with ${code}:\n${output()}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${url}/health/live`, output, child);
  return { url, pid: child.pid!, stop: stopper(child) };
}
