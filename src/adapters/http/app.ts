import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { Authenticate } from '../../application/auth/authenticate.js';
import type { HttpState } from './context.js';
import { jsonBody } from './middleware/body.js';
import { corsPolicy } from './middleware/cors.js';
import { errorHandler } from './middleware/errors.js';
import { requestLogging } from './middleware/logging.js';
import { liveness } from './middleware/liveness.js';
import { requestMetrics, type HttpMetrics } from './middleware/metrics.js';
import { requestId } from './middleware/request-id.js';
import { securityHeaders } from './middleware/security-headers.js';
import { stallTimeouts } from './middleware/stall-timeouts.js';
import { requestTimeout } from './middleware/timeout.js';
import { registerSecurity } from './openapi.js';
import { redact } from '../../shared/redact.js';
import { allowedMethods, type Api, type RouteRegistrar } from './route.js';
import { isRawBodyRequest } from './routes/file-links.js';

export interface AppDeps {
  logger: Logger;
  /** Exact origins allowed to call from a browser (with credentials). */
  corsOrigins: string[];
  /** JSON body limit in bytes; above it, 413. */
  bodyLimitBytes: number;
  /**
   * Every feature's routes, registered in this order: it is the OpenAPI document's order, and a
   * path registered earlier is tried first.
   */
  routes: RouteRegistrar[];
  /** Checks the bearer token of the routes that need a caller. */
  authenticate: Pick<Authenticate, 'execute'>;
  /** Per-request scope (e.g. a MikroORM RequestContext fork); runs after the body parser, before the matched route. */
  requestScope?: Koa.Middleware;
  /**
   * Trust X-Forwarded-For for the client address (login throttling is per client). Only behind a
   * proxy that sets it; otherwise clients could pick their own address. False when absent.
   */
  trustProxy?: boolean;
  /** Request counts and latencies by route and status; absent: nothing is recorded. */
  metrics?: HttpMetrics;
  /** A request still unanswered this long after its body arrived gets 503 REQUEST.TIMEOUT; 0 or absent: no limit. */
  requestTimeoutMs?: number;
  /** A body, or a streamed response, with no byte moving this long is cut off (408 for a body); 0 or absent: never. */
  bodyIdleTimeoutMs?: number;
  /** REQUIRE_IF_MATCH: writes to users and files without If-Match answer 428. False when absent. */
  requireIfMatch?: boolean;
  /** Idempotency-Key on the `idempotent` routes; absent: the header is ignored. */
  idempotency?: Api['idempotency'];
}

export function createApp(deps: AppDeps): Koa {
  const app = new Koa<HttpState>({ proxy: deps.trustProxy ?? false });
  const registry = new OpenAPIRegistry();
  registerSecurity(registry);
  const router = new Router<HttpState>();
  // Bodies are read for a route that matched path and method, never for a 404 or a 405.
  router.use(jsonBody(deps.bodyLimitBytes, isRawBodyRequest));
  if (deps.requestScope) router.use(deps.requestScope);
  const api: Api = {
    router,
    registry,
    authenticate: deps.authenticate,
    requireIfMatch: deps.requireIfMatch ?? false,
    idempotency: deps.idempotency,
  };
  for (const register of deps.routes) register(api);

  // First of all: a liveness probe is answered before anything else runs (middleware/liveness.ts).
  app.use(liveness());
  // Outside the error middleware, so it sees the status that was finally sent.
  if (deps.metrics) app.use(requestMetrics(deps.metrics));
  app.use(errorHandler(deps.logger));
  app.use(requestId());
  if (deps.requestTimeoutMs) app.use(requestTimeout(deps.requestTimeoutMs, deps.logger));
  app.use(securityHeaders());
  app.use(requestLogging(deps.logger));
  app.use(corsPolicy(deps.corsOrigins));
  if (deps.bodyIdleTimeoutMs) app.use(stallTimeouts(deps.bodyIdleTimeoutMs));
  app.use(router.routes());
  app.use(allowedMethods());
  // Only failures after the answer began (a broken stream) get here; the error middleware saw the rest.
  // A client hanging up in the middle of its own body (an upload it gave up) is no server failure.
  app.on('error', (error: unknown) => {
    const level = (error as { code?: string } | null)?.code === 'HPE_INVALID_EOF_STATE' ? 'info' : 'error';
    deps.logger[level]({ err: redact(error) }, 'response failed');
  });
  return app;
}
