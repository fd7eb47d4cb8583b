import type { Middleware } from 'koa';
import type { HttpState, RouteContext } from '../context.js';

/** What the HTTP adapter records and exposes; the composition root backs it with prom-client. */
export interface HttpMetrics {
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** Bytes of file content received; the files routes add to it. */
  uploadBytes: { inc(bytes: number): void };
  render(): Promise<{ contentType: string; body: string }>;
}

/** Paths no route matched share one label, so a scan of random URLs cannot grow the series without bound. */
const UNMATCHED = 'unmatched';

/** Observes each request when its response closes, by route template (never the raw path) and final status. */
export const requestMetrics =
  (metrics: HttpMetrics): Middleware<HttpState> =>
  (ctx, next) => {
    const started = performance.now();
    ctx.res.on('close', () => {
      const route = (ctx as unknown as Partial<RouteContext>)._matchedRoute;
      metrics.observeRequest(
        ctx.method,
        typeof route === 'string' ? route : UNMATCHED,
        ctx.status,
        (performance.now() - started) / 1000,
      );
    });
    return next();
  };
