import type { Middleware } from 'koa';
import type { Authenticate } from '../../../application/auth/authenticate.js';
import { unauthenticated } from '../../../domain/errors.js';
import type { HttpState } from '../context.js';

const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i;
/** Far above any JWT we issue; a longer header is refused without spending a verification on it. */
const MAX_TOKEN_LENGTH = 8192;

/**
 * `Authorization: Bearer <token>` -> `ctx.state.actor`. Anything else is a 401; the error
 * middleware adds the `WWW-Authenticate` challenge.
 */
export const requireActor =
  (authenticate: Pick<Authenticate, 'execute'>): Middleware<HttpState> =>
  async (ctx, next) => {
    const token = BEARER.exec(ctx.get('Authorization'))?.[1];
    if (!token) throw unauthenticated();
    ctx.state.bearerPresented = true;
    if (token.length > MAX_TOKEN_LENGTH) throw unauthenticated();
    ctx.state.actor = await authenticate.execute(token);
    await next();
  };
