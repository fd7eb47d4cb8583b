import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { HttpContext, HttpState } from '../context.js';

const SANE = /^[A-Za-z0-9._-]{1,128}$/;
export const REQUEST_ID_HEADER = 'x-request-id';

/** The client's id when it is safe to echo into headers and logs, else a fresh UUID. */
export function requestIdOf(ctx: HttpContext): string {
  if (!ctx.state.requestId) {
    const offered = ctx.get(REQUEST_ID_HEADER);
    ctx.state.requestId = SANE.test(offered) ? offered : randomUUID();
  }
  return ctx.state.requestId;
}

/** Set before anything can fail, so every answer (errors included) carries the id. */
export const requestId = (): Middleware<HttpState> => (ctx, next) => {
  ctx.set(REQUEST_ID_HEADER, requestIdOf(ctx));
  return next();
};
