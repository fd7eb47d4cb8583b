import type Koa from 'koa';
import type { Logger } from 'pino';
import { createApp } from '../../adapters/http/app.js';
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
