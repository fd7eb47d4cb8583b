import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, Registry } from 'prom-client';

/** The worker's own metrics, on a registry of its own (served by its status endpoint). */
export function createWorkerMetrics() {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    received: new Counter({ name: 's3_events_messages_received_total', help: 'SQS messages received', registers }),
    handled: new Counter({
      name: 's3_events_records_handled_total',
      help: 'S3 event records handled, by kind (created, removed) and outcome (ready, updated, gone, unchanged ...)',
      labelNames: ['kind', 'outcome'] as const,
      registers,
    }),
    failed: new Counter({
      name: 's3_events_messages_failed_total',
      help: 'Messages that failed and stay in the queue (retried, then dead-lettered)',
      registers,
    }),
    receiveFailures: new Counter({
      name: 's3_events_receive_failures_total',
      help: 'ReceiveMessage calls that failed (SQS unreachable, denied)',
      registers,
    }),
    lag: new Histogram({
      name: 's3_events_lag_seconds',
      help: 'From when SQS took a message until its records were handled',
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers,
    }),
  };
}
export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

export interface StatusSettings {
  host: string;
  port: number;
  /** METRICS_ENABLED / METRICS_TOKEN, as for the server's /metrics. */
  metrics: { enabled: boolean; token?: string };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

function authorized(req: http.IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const presented = /^Bearer[ ]+(\S+)[ ]*$/i.exec(req.headers.authorization ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
}

/**
 * `GET /health/live` (the process answers), `/health/ready` (polling the queue, the last receive
 * succeeded) and `/metrics` (Prometheus text) on WORKER_PORT. The worker serves no API.
 */
export async function serveWorkerStatus(settings: StatusSettings, ready: () => boolean, registry: Registry) {
  const json = (res: http.ServerResponse, status: number, body: object) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET') return json(res, 405, { status: 405 });
    if (path === '/health/live') return json(res, 200, { status: 'ok' });
    if (path === '/health/ready')
      return ready() ? json(res, 200, { status: 'ok' }) : json(res, 503, { status: 'unavailable' });
    if (path !== '/metrics' || !settings.metrics.enabled) return json(res, 404, { status: 404 });
    if (!authorized(req, settings.metrics.token)) return json(res, 401, { status: 401 });
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => json(res, 500, { status: 500 }),
    );
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
