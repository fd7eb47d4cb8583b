import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { docsRoutes } from '../../adapters/http/routes/docs.js';
import { healthRoutes } from '../../adapters/http/routes/health.js';
import { metricsRoutes } from '../../adapters/http/routes/metrics.js';
import type { Config } from '../config.js';
import { createMetrics } from '../metrics.js';
import { TOKENS as T } from './tokens.js';

/** Set once shutdown begins: readiness then answers 503 so the balancer stops sending traffic. */
export class Readiness {
  draining = false;
}

/** Probes, the OpenAPI document with its Swagger UI, and the metrics (recorded always, served when enabled). */
export function healthModule(config: Config, logger: Logger): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Readiness).toResolvedValue(() => new Readiness());
    bind(T.HealthCheckTimeoutMs).toConstantValue(2_000);
    bind(T.Metrics).toResolvedValue(
      (poolStats, mail) => createMetrics({ poolStats, failedMail: () => mail.countFailed() }),
      [T.PoolStats, T.MailQueue],
    );
    bind(T.Routes).toResolvedValue(
      (healthChecks, readiness, checkTimeoutMs) => (api) =>
        healthRoutes(api, { healthChecks, isDraining: () => readiness.draining, checkTimeoutMs, logger }),
      [T.HealthChecks, Readiness, T.HealthCheckTimeoutMs],
    );
    bind(T.Routes).toConstantValue(docsRoutes);
    if (config.metrics.enabled) {
      bind(T.Routes).toResolvedValue(
        (metrics) => (api) => metricsRoutes(api, { metrics, token: config.metrics.token }),
        [T.Metrics],
      );
    }
  });
}
