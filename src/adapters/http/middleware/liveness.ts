import type { Middleware } from 'koa';

export const LIVENESS_PATH = '/health/live';
const ALIVE = '{"status":"ok"}';

/**
 * GET/HEAD /health/live, answered ahead of every other middleware. Liveness says only that the
 * event loop turns, so it must not depend on (or wait behind) anything the rest of the stack does,
 * and probes, which arrive every few seconds from every orchestrator and balancer, are not traffic:
 * they are not logged, not counted in the request metrics, and carry no request id or CORS headers.
 * The route stays in the OpenAPI document (routes/health.ts). Costs one path comparison per request.
 */
export const liveness = (): Middleware => (ctx, next) => {
  if (ctx.path !== LIVENESS_PATH || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
  ctx.set('Cache-Control', 'no-store');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.type = 'application/json';
  ctx.body = ALIVE;
  return Promise.resolve();
};
