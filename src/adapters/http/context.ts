import type { RouterContext } from '@koa/router';
import type { ParameterizedContext } from 'koa';
import type { Actor } from '../../domain/user/user.js';

/** What the middleware chain leaves on `ctx.state` for the layers after it. */
export interface HttpState {
  requestId: string;
  actor?: Actor;
  /** A bearer token came with the request, so a 401 says `error="invalid_token"`. */
  bearerPresented?: boolean;
  /** The problem code of an error answer, for the request log line. */
  problemCode?: string;
  /** Headers an error answer carries besides its own (a 416 says the size in Content-Range). */
  problemHeaders?: Record<string, string>;
  /**
   * Set once the request outlived REQUEST_TIMEOUT_MS: its answer is gone, so its work should stop
   * (`signalOf(ctx)` in middleware/timeout.ts gives an AbortSignal for work that can be cancelled).
   */
  abandoned?: Error;
}

export type HttpContext = ParameterizedContext<HttpState>;
export type RouteContext = RouterContext<HttpState>;
