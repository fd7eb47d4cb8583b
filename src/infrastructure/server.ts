import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { CompositionOptions } from './container/build-container.js';
import { composeApp } from './container/compose-app.js';

export interface RunningServer {
  server: http.Server;
  url: string;
  /** Graceful stop: readiness 503, no new connections, in-flight requests finish, then close stores. */
  stop(): Promise<void>;
}

export async function startServer(
  config: Config,
  logger: Logger,
  options: CompositionOptions = {},
): Promise<RunningServer> {
  const composed = await composeApp(config, logger, options);
  // Checked every second, so a connection that never sends a whole request head (an idle one
  // included) is closed with a 408 within HEADERS_TIMEOUT_MS and a second.
  const server = http.createServer({ connectionsCheckingInterval: 1_000 }, composed.app.callback());
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = config.http.headersTimeoutMs;
  // Node's default (300 s for a whole request) would cut off a 5 GiB upload on a slow link. Bodies
  // are bounded by MAX_UPLOAD_BYTES and, when they stop moving, by BODY_IDLE_TIMEOUT_MS
  // (middleware/stall-timeouts.ts); handlers by REQUEST_TIMEOUT_MS.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ port, db: config.db.driver }, 'listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= drainAndClose(server, config.http.shutdownGraceMs, logger, async () => {
      composed.drain();
    }).then(() => composed.close()));
  return { server, url, stop };
}

async function drainAndClose(server: http.Server, graceMs: number, logger: Logger, drain: () => Promise<void>) {
  await drain();
  logger.info('shutting down: draining in-flight requests');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Idle keep-alive sockets would hold close() open; busy ones are closed as their responses finish.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  const deadline = setTimeout(() => {
    logger.warn('shutdown grace period over: closing remaining connections');
    server.closeAllConnections();
  }, graceMs);
  await closed;
  clearInterval(sweep);
  clearTimeout(deadline);
}
