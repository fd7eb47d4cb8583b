import cluster from 'node:cluster';
import { createRequire } from 'node:module';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the pool gauges read; the SQL adapter's `poolStats` (pool-stats.ts) returns it. */
export interface PoolStats {
  /** Connections lent out to requests. */
  used: number;
  /** Open connections nobody holds. */
  free: number;
  /** Connections being opened. */
  creating: number;
  /** Requests waiting for a connection. */
  waiting: number;
  /** The pool's bound (SQLite's is 1, whatever DB_POOL_MAX says). */
  max: number;
}

export interface MetricsOptions {
  /** The SQL connection pool, read at scrape time; absent for the memory driver. */
  poolStats?: () => PoolStats | undefined;
  /** Queued mail that failed for good, counted at scrape time (the MailQueue's countFailed). */
  failedMail?: () => Promise<number>;
  /** A scrape answers for every worker, aggregated by the primary; by default, when this is a cluster worker. */
  clustered?: boolean;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type DefaultMetric = (registry: Registry, config: { eventLoopMonitoringPrecision: number }) => void;
const requireFromHere = createRequire(import.meta.url);
/**
 * prom-client's default set (lib/defaultMetrics.js in the pinned 15.1.3) without `gc`: its
 * PerformanceObserver on every garbage collection nearly doubled the CPU of a small request under
 * load (28 -> 49-67 us per GET /health/live, npm run bench; docs/performance.md). Heap sizes per
 * space still show GC pressure. These modules are prom-client's own, loaded one by one.
 */
const DEFAULT_METRICS_WITHOUT_GC = [
  'processCpuTotal',
  'processStartTime',
  'osMemoryHeap',
  'processOpenFileDescriptors',
  'processMaxFileDescriptors',
  'eventLoopLag',
  'processResources',
  'processHandles',
  'processRequests',
  'heapSizeAndUsed',
  'heapSpacesSizeAndUsed',
  'version',
];

let processRegistry: Registry | undefined;
/** Process-wide metrics (CPU, memory, heap, event-loop delay) are collected once per process. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    for (const name of DEFAULT_METRICS_WITHOUT_GC) {
      (requireFromHere(`prom-client/lib/metrics/${name}`) as DefaultMetric)(processRegistry, {
        eventLoopMonitoringPrecision: 10,
      });
    }
  }
  return processRegistry;
}

function poolGauges(registry: Registry, stats: () => PoolStats | undefined): void {
  const gauge = (name: string, help: string, read: (s: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const s = stats();
        this.set(s ? read(s) : 0);
      },
    });
  gauge('db_pool_connections', 'Open connections in the database pool', (s) => s.used + s.free);
  gauge('db_pool_connections_in_use', 'Pooled connections lent out to requests', (s) => s.used);
  gauge('db_pool_acquire_waiting', 'Requests waiting for a pooled connection', (s) => s.waiting);
  gauge('db_pool_connections_max', 'Upper bound of the database pool', (s) => s.max);
}

/** Every worker reads the same store, so a cluster shows the highest count, not the sum. */
function failedMailGauge(registry: Registry, count: () => Promise<number>): void {
  let last = 0;
  new Gauge({
    name: 'mail_failed_messages',
    help: 'Queued mail messages that failed for good and are kept',
    registers: [registry],
    aggregator: 'max',
    async collect() {
      // A store that cannot answer now keeps the last count rather than failing the scrape.
      last = await count().catch(() => last);
      this.set(last);
    },
  });
}

/** Backs the HTTP adapter's `HttpMetrics` (declared by the adapter; the composition root hands this over). */
export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status; _count is the request count',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const uploadBytes = new Counter({
    name: 'upload_bytes_total',
    help: 'File content bytes received',
    registers: [registry],
  });
  if (options.poolStats) poolGauges(registry, options.poolStats);
  if (options.failedMail) failedMailGauge(registry, options.failedMail);
  const registries = [processMetrics(), registry];
  const clustered = options.clustered ?? cluster.isWorker;
  if (clustered) {
    AggregatorRegistry.setRegistries(registries);
    // Constructing one is what makes prom-client answer the primary's requests in a worker.
    new AggregatorRegistry();
  }
  return {
    observeRequest: (method: string, route: string, status: number, seconds: number) =>
      latency.observe({ method, route, status }, seconds),
    uploadBytes,
    render: async () => {
      if (clustered) return { contentType: registry.contentType, body: await askPrimary() };
      return { contentType: registry.contentType, body: await Registry.merge(registries).metrics() };
    },
  };
}

const REQUEST = 'portico:metrics-request';
const ANSWER = 'portico:metrics-answer';
const ASK_TIMEOUT_MS = 6_000;
interface Answer {
  type: typeof ANSWER;
  id: number;
  body?: string;
  error?: string;
}
const isAnswer = (message: unknown): message is Answer =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === ANSWER;

let asked = 0;
function askPrimary(): Promise<string> {
  const id = ++asked;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => settle(new Error('the cluster primary did not answer for metrics')), ASK_TIMEOUT_MS);
    const onMessage = (message: unknown) => {
      if (isAnswer(message) && message.id === id)
        settle(message.error ? new Error(message.error) : undefined, message.body);
    };
    function settle(error?: Error, body = '') {
      clearTimeout(timer);
      process.off('message', onMessage);
      if (error) reject(error);
      else resolve(body);
    }
    process.on('message', onMessage);
    process.send?.({ type: REQUEST, id });
  });
}

/** In the primary: answers each worker's scrape with every worker's metrics, summed (or averaged) by prom-client. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: unknown; id?: unknown }) => {
    if (message?.type !== REQUEST) return;
    aggregator.clusterMetrics().then(
      (body) => worker.isConnected() && worker.send({ type: ANSWER, id: message.id, body }),
      (error: Error) => worker.isConnected() && worker.send({ type: ANSWER, id: message.id, error: error.message }),
    );
  });
}
