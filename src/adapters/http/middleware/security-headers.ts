import type { Middleware } from 'koa';
import type { HttpState } from '../context.js';

/**
 * Defaults for API answers: never cached (they are per-caller), never sniffed into HTML, never
 * framed. Routes that serve documents (the Swagger UI) loosen these for themselves.
 */
export const securityHeaders = (): Middleware<HttpState> => (ctx, next) => {
  ctx.set({
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'Referrer-Policy': 'no-referrer',
  });
  return next();
};
