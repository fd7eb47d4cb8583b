import type Koa from 'koa';
import type { Logger } from 'pino';
import { createApp } from '../../adapters/http/app.js';
import { Authenticate } from '../../application/auth/authenticate.js';
import { EnsureAdmin } from '../../application/auth/ensure-admin.js';
import { Login } from '../../application/auth/login.js';
import type { Config } from '../config.js';
import { buildContainer, closeContainer, type CompositionOptions } from './build-container.js';
import { Readiness } from './health-module.js';
import { TOKENS as T } from './tokens.js';

export interface ComposedApp {
  app: Koa;
  /** Flip on SIGTERM: readiness answers 503 while in-flight requests finish. */
  drain: () => void;
  /** After the server closed: stops the background jobs, then closes every store and client. */
  close: () => Promise<void>;
}

/** The server's app: every feature's routes and the cross-cutting middleware, from the composition root. */
export async function composeApp(
  config: Config,
  logger: Logger,
  options: CompositionOptions = {},
): Promise<ComposedApp> {
  const c = await buildContainer(config, logger, options);
  try {
    if (config.admin) {
      const outcome = await (await c.getAsync(EnsureAdmin)).execute(config.admin);
      logger.info({ outcome }, 'admin account checked');
    }
    // Started, not awaited: a hash at BCRYPT_COST (about a quarter of a second at 12) is no reason to
    // keep the server from listening. A login that needs it before it is done waits for the same hash.
    void (await c.getAsync(Login))
      .warmUp()
      .catch((error: unknown) => logger.warn({ err: error }, 'login warm-up hash failed; the first login retries it'));
    const readiness = await c.getAsync(Readiness);
    const app = createApp({
      logger,
      corsOrigins: config.cors.origins,
      bodyLimitBytes: config.http.bodyLimitBytes,
      routes: await c.getAllAsync(T.Routes),
      authenticate: await c.getAsync(Authenticate),
      requestScope: await c.getAsync(T.RequestScope),
      trustProxy: config.http.trustProxy,
      metrics: await c.getAsync(T.Metrics),
      requestTimeoutMs: config.http.requestTimeoutMs,
      bodyIdleTimeoutMs: config.http.bodyIdleTimeoutMs,
      requireIfMatch: config.http.requireIfMatch,
      idempotency: await c.getAsync(T.Idempotency),
    });
    await c.getAllAsync(T.BackgroundJobs);
    return { app, drain: () => (readiness.draining = true), close: () => closeContainer(c) };
  } catch (error) {
    // A binding whose opening failed fails its own deactivation too; the others still close.
    await closeContainer(c).catch(() => undefined);
    throw error;
  }
}
