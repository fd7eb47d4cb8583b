import type { RefreshSession } from '../../../application/sessions/refresh-session.js';
import type { EndSession } from '../../../application/sessions/end-session.js';
import { defineRoute, type Api } from '../route.js';
import { RefreshBody, tokenPair, TokenPairSchema } from '../schemas/auth.js';

export interface SessionDeps {
  refreshSession: RefreshSession;
  endSession: EndSession;
}

/** The refresh token is the credential on these routes; no access token is needed. */
export function sessionRoutes(api: Api, deps: SessionDeps): void {
  defineRoute(api, {
    method: 'post',
    path: '/v1/auth/refresh',
    operationId: 'refresh',
    summary: 'Spend a refresh token for a new pair; reusing a spent one ends its whole session',
    tag: 'auth',
    auth: false,
    body: RefreshBody,
    success: { status: 200, description: 'A new token pair', schema: TokenPairSchema },
    rateLimited: true,
    problems: [401, 429],
    handle: async (ctx, { body }) => {
      ctx.body = tokenPair(await deps.refreshSession.execute({ ...body, client: ctx.ip }));
    },
  });
  defineRoute(api, {
    method: 'post',
    path: '/v1/auth/logout',
    operationId: 'logout',
    summary: "End the refresh token's session (its access tokens stop working too)",
    tag: 'auth',
    auth: false,
    body: RefreshBody,
    success: { status: 204, description: 'Ended' },
    handle: async (ctx, { body }) => {
      await deps.endSession.execute(body);
      ctx.status = 204;
    },
  });
}
