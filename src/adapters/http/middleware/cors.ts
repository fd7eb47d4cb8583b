import cors from '@koa/cors';
import type { Middleware } from 'koa';

/**
 * Exact-origin allow-list. Returning '' makes @koa/cors skip every CORS header, so an unlisted
 * origin learns nothing; credentials need the exact origin, never '*'.
 */
export function corsPolicy(origins: string[]): Middleware {
  const allowed = new Set(origins);
  const policy = cors({
    origin: (ctx) => (allowed.has(ctx.get('Origin')) ? ctx.get('Origin') : ''),
    credentials: true,
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    // If-Match / If-None-Match: a browser's conditional writes and cached reads (RFC 9110).
    allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'Range', 'If-Match', 'If-None-Match'],
    // ETag: a browser sending parts to the app's own signed links must read each part's tag.
    exposeHeaders: [
      'X-Request-Id',
      'Location',
      'Retry-After',
      'WWW-Authenticate',
      'Allow',
      'ETag',
      'Content-Range',
      'Content-Disposition',
      'Accept-Ranges',
    ],
    maxAge: 600,
  });
  // A request without Origin is no CORS request (servers, curl, same-origin GETs): it gets only the
  // Vary that @koa/cors would add, without a pass through it (two awaits and an allow-list check).
  return (ctx, next) => {
    if (ctx.get('Origin') !== '') return policy(ctx, next);
    ctx.vary('Origin');
    return next();
  };
}
