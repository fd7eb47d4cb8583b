import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router } from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { Authenticate } from '../../application/auth/authenticate.js';
import type { ChangePassword } from '../../application/auth/change-password.js';
import type { Login } from '../../application/auth/login.js';
import type { CreateUser } from '../../application/users/create-user.js';
import type { DeleteUser } from '../../application/users/delete-user.js';
import type { GetUser } from '../../application/users/get-user.js';
import type { ListUsers } from '../../application/users/list-users.js';
import type { PatchUser } from '../../application/users/patch-user.js';
import type { RegisterUser } from '../../application/users/register-user.js';
import type { ReplaceUser } from '../../application/users/replace-user.js';
import type { EndSession } from '../../application/sessions/end-session.js';
import type { RefreshSession } from '../../application/sessions/refresh-session.js';
import type { HealthCheck } from '../../domain/ports/health-check.js';
import type { TokenService } from '../../domain/ports/token-service.js';
import type { FileLinks } from '../../domain/ports/file-store.js';
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
import { allowedMethods, type Api } from './route.js';
import { authRoutes } from './routes/auth.js';
import { docsRoutes } from './routes/docs.js';
import { fileLinkRoutes, isRawBodyRequest } from './routes/file-links.js';
import { fileUploadRoutes, type FileUploadDeps } from './routes/file-uploads.js';
import { fileVersionRoutes, type FileVersionDeps } from './routes/file-versions.js';
import { filesRoutes, type FileDeps } from './routes/files.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { sessionRoutes } from './routes/sessions.js';
import { usersRoutes } from './routes/users.js';

export interface AppDeps {
  logger: Logger;
  /** Exact origins allowed to call from a browser (with credentials). */
  corsOrigins: string[];
  /** JSON body limit in bytes; above it, 413. */
  bodyLimitBytes: number;
  useCases: {
    registerUser: RegisterUser;
    createUser: CreateUser;
    login: Login;
    authenticate: Authenticate;
    changePassword: ChangePassword;
    getUser: GetUser;
    listUsers: ListUsers;
    replaceUser: ReplaceUser;
    patchUser: PatchUser;
    deleteUser: DeleteUser;
    refreshSession: RefreshSession;
    endSession: EndSession;
  };
  /** The /v1/files routes; absent: the app serves no files. */
  fileUseCases?: FileDeps & FileUploadDeps & FileVersionDeps;
  /** Answers `/v1/files/_local/{token}` for stores whose pre-signed links the app serves (local, memory). */
  fileLinks?: FileLinks;
  /** For /.well-known/jwks.json. */
  tokens: Pick<TokenService, 'jwks'>;
  /** /health/ready runs them all, each bounded by `healthCheckTimeoutMs`. */
  healthChecks: HealthCheck[];
  /** True once shutdown began: /health/ready answers 503 so the balancer stops sending traffic. */
  isDraining: () => boolean;
  /** Per-request scope (e.g. a MikroORM RequestContext fork); runs after the body parser, before the matched route. */
  requestScope?: Koa.Middleware;
  /** Deadline for each readiness check; 2000 ms when absent. */
  healthCheckTimeoutMs?: number;
  /**
   * Trust X-Forwarded-For for the client address (login throttling is per client). Only behind a
   * proxy that sets it; otherwise clients could pick their own address. False when absent.
   */
  trustProxy?: boolean;
  /** Request counts and latencies by route and status; absent: nothing is recorded. */
  metrics?: HttpMetrics;
  /** Serve GET /metrics (from `metrics`); with a token, only to `Authorization: Bearer <token>`. */
  metricsEndpoint?: { token?: string };
  /** A request still unanswered this long after its body arrived gets 503 REQUEST.TIMEOUT; 0 or absent: no limit. */
  requestTimeoutMs?: number;
  /** A body, or a streamed response, with no byte moving this long is cut off (408 for a body); 0 or absent: never. */
  bodyIdleTimeoutMs?: number;
}

export function createApp(deps: AppDeps): Koa {
  const app = new Koa<HttpState>({ proxy: deps.trustProxy ?? false });
  const registry = new OpenAPIRegistry();
  registerSecurity(registry);
  const router = new Router<HttpState>();
  // Bodies are read for a route that matched path and method, never for a 404 or a 405.
  router.use(jsonBody(deps.bodyLimitBytes, isRawBodyRequest));
  if (deps.requestScope) router.use(deps.requestScope);
  const api: Api = { router, registry, authenticate: deps.useCases.authenticate };
  const { useCases: u } = deps;

  healthRoutes(api, {
    healthChecks: deps.healthChecks,
    isDraining: deps.isDraining,
    checkTimeoutMs: deps.healthCheckTimeoutMs ?? 2000,
    logger: deps.logger,
  });
  docsRoutes(api, registry);
  authRoutes(api, { registerUser: u.registerUser, login: u.login, getUser: u.getUser, changePassword: u.changePassword, tokens: deps.tokens });
  sessionRoutes(api, u);
  usersRoutes(api, u);
  // Links first: `/v1/files/_local/{token}` must not be taken for `/v1/files/{id}/...`.
  if (deps.fileLinks) fileLinkRoutes(api, deps.fileLinks);
  if (deps.fileUseCases) {
    filesRoutes(api, deps.fileUseCases);
    fileUploadRoutes(api, deps.fileUseCases);
    fileVersionRoutes(api, deps.fileUseCases);
  }
  if (deps.metrics && deps.metricsEndpoint) metricsRoutes(api, { metrics: deps.metrics, token: deps.metricsEndpoint.token });

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
