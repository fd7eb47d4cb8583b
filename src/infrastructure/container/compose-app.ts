import type { Container } from 'inversify';
import type Koa from 'koa';
import type { Logger } from 'pino';
import { createApp } from '../../adapters/http/app.js';
import type { SweepReport } from '../../application/files/sweep-abandoned-uploads.js';
import type { Config } from '../config.js';
import { createMetrics } from '../metrics.js';
import { TOKENS as T } from '../tokens.js';
import { buildContainer, type CompositionOptions } from './build-container.js';
import { fileHttpDeps } from './files-module.js';
import type { Resources } from './resources.js';

export interface ComposedApp {
  app: Koa;
  resources: Resources;
  /** Flip to true on SIGTERM: readiness answers 503 while in-flight requests finish. */
  drain: () => void;
}

export async function composeApp(config: Config, logger: Logger, options: CompositionOptions = {}): Promise<ComposedApp> {
  const { container: c, resources } = await buildContainer(config, logger, options);
  if (config.admin) {
    const outcome = await c.get(T.EnsureAdmin).execute(config.admin);
    logger.info({ outcome }, 'admin account checked');
  }
  await c.get(T.Login).warmUp();
  scheduleUploadSweep(c, config, logger, resources);
  let draining = false;
  const app = createApp({
    logger,
    corsOrigins: config.cors.origins,
    bodyLimitBytes: config.http.bodyLimitBytes,
    useCases: {
      registerUser: c.get(T.RegisterUser),
      createUser: c.get(T.CreateUser),
      login: c.get(T.Login),
      authenticate: c.get(T.Authenticate),
      changePassword: c.get(T.ChangePassword),
      getUser: c.get(T.GetUser),
      listUsers: c.get(T.ListUsers),
      replaceUser: c.get(T.ReplaceUser),
      patchUser: c.get(T.PatchUser),
      deleteUser: c.get(T.DeleteUser),
      refreshSession: c.get(T.RefreshSession),
      endSession: c.get(T.EndSession),
    },
    ...fileHttpDeps(c),
    tokens: c.get(T.TokenService),
    healthChecks: c.get(T.HealthChecks),
    isDraining: () => draining,
    requestScope: resources.requestScope,
    trustProxy: config.http.trustProxy,
    metrics: createMetrics({ poolStats: resources.poolStats }),
    metricsEndpoint: config.metrics.enabled ? { token: config.metrics.token } : undefined,
    requestTimeoutMs: config.http.requestTimeoutMs,
    bodyIdleTimeoutMs: config.http.bodyIdleTimeoutMs,
  });
  return { app, resources, drain: () => (draining = true) };
}

function logSweep(logger: Logger, { files, leftovers, failures }: SweepReport): void {
  for (const error of failures) logger.warn({ err: error }, 'upload sweep: could not remove an abandoned upload');
  if (files + leftovers > 0) logger.info({ files, leftovers }, 'upload sweep: abandoned uploads removed');
}

/**
 * Sweeps abandoned uploads every UPLOAD_SWEEP_INTERVAL_MINUTES while the server runs (never when 0).
 * The timer keeps no process alive; shutdown stops it and waits for a sweep under way.
 */
export function scheduleUploadSweep(c: Container, config: Config, logger: Logger, resources: Resources): void {
  const minutes = config.files.abandonedUploads.sweepIntervalMinutes;
  if (minutes === 0) return;
  const sweep = c.get(T.SweepAbandonedUploads);
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= sweep
      .execute()
      .then((report) => logSweep(logger, report), (error: unknown) => logger.error({ err: error }, 'upload sweep failed'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(run, minutes * 60_000).unref();
  resources.onClose(async () => {
    clearInterval(timer);
    await running;
  });
}
