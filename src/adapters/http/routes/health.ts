import type { Logger } from 'pino';
import type { HealthCheck } from '../../../domain/ports/health-check.js';
import { redact } from '../../../shared/redact.js';
import { defineRoute, type Api } from '../route.js';
import { LiveSchema, ReadySchema, type CheckStatus } from '../schemas/health.js';
import type { z } from 'zod';

export interface HealthDeps {
  healthChecks: HealthCheck[];
  isDraining: () => boolean;
  checkTimeoutMs: number;
  logger: Logger;
}

type Outcome = z.infer<typeof CheckStatus>;

/** A slow dependency counts as down: the probe itself must answer within its own deadline. */
async function run(check: HealthCheck, timeoutMs: number, logger: Logger): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Outcome>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const outcome = Promise.resolve()
    .then(() => check.check())
    .then(
      (): Outcome => 'ok',
      (error: unknown): Outcome => {
        // The cause goes to the log only: driver text never reaches a body.
        logger.warn({ check: check.name, err: redact(error) }, 'health check failed');
        return 'failed';
      },
    );
  const result = await Promise.race([outcome, timedOut]);
  clearTimeout(timer);
  return result;
}

export function healthRoutes(api: Api, deps: HealthDeps): void {
  defineRoute(api, {
    method: 'get',
    path: '/health/live',
    operationId: 'live',
    summary: 'Liveness: the process runs',
    tag: 'health',
    auth: false,
    success: { status: 200, description: 'Alive', schema: LiveSchema },
    // Documents the answer of middleware/liveness.ts, which takes GET and HEAD before the router.
    handle: (ctx) => {
      ctx.body = { status: 'ok' };
    },
  });
  defineRoute(api, {
    method: 'get',
    path: '/health/ready',
    operationId: 'ready',
    summary: 'Readiness: every dependency answers and the process is not draining',
    tag: 'health',
    auth: false,
    success: { status: 200, description: 'Ready', schema: ReadySchema },
    also: [{ status: 503, description: 'Not ready (a check failed or shutdown has begun)', schema: ReadySchema }],
    handle: async (ctx) => {
      const checks: Record<string, Outcome> = deps.isDraining()
        ? { shutdown: 'draining' }
        : Object.fromEntries(
            await Promise.all(
              deps.healthChecks.map(async (c) => [c.name, await run(c, deps.checkTimeoutMs, deps.logger)]),
            ),
          );
      const ready = Object.values(checks).every((outcome) => outcome === 'ok');
      ctx.status = ready ? 200 : 503;
      ctx.body = { status: ready ? 'ok' : 'unavailable', checks };
    },
  });
}
