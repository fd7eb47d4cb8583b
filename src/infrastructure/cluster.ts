import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { prepareForWorkers } from './container/prepare-workers.js';
import { serveClusterMetrics } from './metrics.js';

/** A worker that dies before it listens, or sooner than this after, counts toward a crash loop. */
const STABLE_AFTER_MS = 10_000;
const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;
/** Beyond the workers' own grace period, before the primary kills what is left. */
const KILL_MARGIN_MS = 5_000;

/** 0 for a worker that had been running a while; then 0.5 s, 1 s, 2 s ... up to 30 s while workers keep dying young. */
export function restartDelayMs(youngDeaths: number): number {
  if (youngDeaths <= 0) return 0;
  return Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** (youngDeaths - 1));
}

export const runsAsPrimary = (config: Config) => config.cluster.workers > 1 && cluster.isPrimary;

/** A worker that failed to boot must exit, or its IPC channel keeps it alive and the primary never replaces it. */
export function exitIfWorker(code: number): void {
  if (cluster.isWorker) process.exit(code);
}

/**
 * The primary serves nothing itself: it prepares what workers must not race on, forks them,
 * replaces any that dies, and on SIGTERM (or SIGINT) has every worker run its graceful stop, then exits.
 */
export async function runPrimary(config: Config, logger: Logger): Promise<void> {
  const env = await prepareForWorkers(config, logger);
  serveClusterMetrics();
  const supervisor = new Supervisor(env, logger, config.http.shutdownGraceMs + KILL_MARGIN_MS);
  for (let i = 0; i < config.cluster.workers; i++) supervisor.fork();
  // With a queue configured, one more process consumes the bucket's events (the same main, WORKER=s3-events).
  if (config.s3Events.queueUrl) supervisor.fork({ WORKER: 's3-events' });
  logger.info({ workers: config.cluster.workers, s3Events: !!config.s3Events.queueUrl }, 'cluster primary started');
  const stop = (signal: string) => {
    logger.info({ signal }, 'signal received: draining every worker');
    void supervisor.drain().then((code) => process.exit(code));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

class Supervisor {
  private youngDeaths = 0;
  private draining = false;
  private readonly pendingRestarts = new Set<NodeJS.Timeout>();

  constructor(
    private readonly env: Record<string, string>,
    private readonly logger: Logger,
    private readonly killAfterMs: number,
  ) {}

  fork(extraEnv: Record<string, string> = {}): void {
    const worker = cluster.fork({ ...this.env, ...extraEnv });
    let listeningSince: number | undefined;
    worker.once('listening', () => (listeningSince = Date.now()));
    worker.once('exit', (code, signal) => this.replace(worker, listeningSince, code, signal, extraEnv));
  }

  private replace(
    worker: Worker,
    listeningSince: number | undefined,
    code: number | null,
    signal: string | null,
    extraEnv: Record<string, string>,
  ): void {
    if (this.draining) return;
    const young = listeningSince === undefined || Date.now() - listeningSince < STABLE_AFTER_MS;
    this.youngDeaths = young ? this.youngDeaths + 1 : 0;
    const delay = restartDelayMs(this.youngDeaths);
    this.logger.warn(
      { workerPid: worker.process.pid, code, signal, restartInMs: delay },
      'worker exited: replacing it',
    );
    const timer = setTimeout(() => {
      this.pendingRestarts.delete(timer);
      this.fork(extraEnv);
    }, delay);
    this.pendingRestarts.add(timer);
  }

  /** Resolves with 0 when every worker stopped cleanly, else 1. */
  async drain(): Promise<number> {
    this.draining = true;
    for (const timer of this.pendingRestarts) clearTimeout(timer);
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    const exits = workers.map((w) => new Promise<number | null>((resolve) => w.once('exit', (code) => resolve(code))));
    for (const worker of workers) worker.process.kill('SIGTERM');
    const deadline = setTimeout(() => {
      this.logger.error('workers still running after the grace period: killing them');
      for (const worker of workers) worker.process.kill('SIGKILL');
    }, this.killAfterMs);
    const codes = await Promise.all(exits);
    clearTimeout(deadline);
    this.logger.info({ codes }, 'every worker stopped');
    return codes.every((code) => code === 0) ? 0 : 1;
  }
}
