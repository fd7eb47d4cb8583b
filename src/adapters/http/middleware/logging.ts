import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { HttpState, RouteContext } from '../context.js';
import { redactFields } from '../../../shared/redact.js';

/** Probes and scrapes hit every few seconds; at info they would drown the useful lines. */
const quietPath = (path: string) => path.startsWith('/health/') || path === '/metrics';

/** A signed file link's token is a credential for as long as it lives: it never reaches a log. */
const loggedPath = (path: string) => (path.startsWith('/v1/files/_local/') ? '/v1/files/_local/[redacted]' : path);

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
      // Redacting the headers is most of a line's cost: skip it when the line would be dropped.
      if (!logger.isLevelEnabled(level)) return;
      const routed = ctx as unknown as Partial<RouteContext>;
      const line = redactFields({
        requestId: ctx.state.requestId,
        method: ctx.method,
        path: loggedPath(ctx.path),
        route: typeof routed._matchedRoute === 'string' ? routed._matchedRoute : null,
        status: ctx.status,
        code: ctx.state.problemCode,
        ms: performance.now() - started,
        completed: ctx.res.writableFinished,
        req: { headers: ctx.headers },
      });
      logger[level](line, 'request');
    });
    return next();
  };
