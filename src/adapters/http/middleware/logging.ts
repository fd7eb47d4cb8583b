import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { HttpState, RouteContext } from '../context.js';
import { REDACTED } from '../../../shared/redact.js';

/** Probes and scrapes hit every few seconds; at info they would drown the useful lines. */
const quietPath = (path: string) => path.startsWith('/health/') || path === '/metrics';

/** A signed file link's token is a credential for as long as it lives: it never reaches a log. */
const loggedPath = (path: string) => (path.startsWith('/v1/files/_local/') ? '/v1/files/_local/[redacted]' : path);

/** Request headers a line carries: what tells clients and callers apart, nothing that authenticates. */
const LOGGED_HEADERS = ['user-agent', 'referer', 'origin', 'content-type', 'content-length', 'x-forwarded-for'];
/** Credentials: a line says one was presented, never what it was. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key'];

/**
 * The headers a request line keeps: an allow-list, so what a client sends besides (its own
 * tracking, a token in a header we do not know) never reaches a log, and building the line costs
 * a few property reads instead of a redacting copy of every header.
 */
function loggedHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const name of LOGGED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) kept[name] = value;
  }
  for (const name of CREDENTIAL_HEADERS) if (headers[name] !== undefined) kept[name] = REDACTED;
  return kept;
}

/**
 * One line per request, written when the response closes, so it sees the status the error
 * middleware (outside this one) finally chose. The query string is left out: it can hold emails.
 */
export const requestLogging =
  (logger: Logger): Middleware<HttpState> =>
  (ctx, next) => {
    const started = performance.now();
    ctx.res.on('close', () => {
      const level = ctx.status >= 500 ? 'error' : quietPath(ctx.path) ? 'debug' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const routed = ctx as unknown as Partial<RouteContext>;
      // The logger's own formatter still masks secret-looking keys on every line (shared/redact.ts).
      const line = {
        requestId: ctx.state.requestId,
        method: ctx.method,
        path: loggedPath(ctx.path),
        route: typeof routed._matchedRoute === 'string' ? routed._matchedRoute : null,
        status: ctx.status,
        code: ctx.state.problemCode,
        ms: performance.now() - started,
        completed: ctx.res.writableFinished,
        req: { headers: loggedHeaders(ctx.headers) },
      };
      logger[level](line, 'request');
    });
    return next();
  };
