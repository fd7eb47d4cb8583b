import type { ExchangeOidcCode } from '../../../application/oidc/exchange-oidc-code.js';
import type { FinishOidcSignIn } from '../../../application/oidc/finish-oidc-sign-in.js';
import type { ListIdentities, UnlinkIdentity } from '../../../application/oidc/linked-identities.js';
import type { StartOidcLink } from '../../../application/oidc/start-oidc-link.js';
import type { StartOidcSignIn } from '../../../application/oidc/start-oidc-sign-in.js';
import type { RouteContext } from '../context.js';
import { defineRoute, type Api } from '../route.js';
import { tokenPair, TokenPairSchema } from '../schemas/auth.js';
import {
  CallbackQuery,
  ExchangeBody,
  IdentityListSchema,
  LinkBody,
  LocationSchema,
  ProviderParams,
  REDIRECT_HEADERS,
  StartQuery,
} from '../schemas/oidc.js';

export interface OidcDeps {
  startSignIn: StartOidcSignIn;
  finishSignIn: FinishOidcSignIn;
  exchange: ExchangeOidcCode;
  startLink: StartOidcLink;
  listIdentities: ListIdentities;
  unlink: UnlinkIdentity;
  /** The flow cookie is `Secure` when the API's public URL is https. */
  secureCookie: boolean;
}

/** The sealed flow, held by the browser between the start and the callback, only for these routes. */
const FLOW_COOKIE = 'portico_oidc';
const COOKIE_PATH = '/v1/auth/oidc/';

/**
 * Written by hand rather than through ctx.cookies: behind a TLS-terminating proxy the connection
 * is plain HTTP, and koa's cookies refuse `Secure` there. `SameSite=Lax`: the provider's redirect
 * back is a top-level GET from another site, which must carry it.
 */
function setFlowCookie(ctx: RouteContext, value: string, maxAge: number, secure: boolean): void {
  const attributes = [
    `Path=${COOKIE_PATH}`,
    `Max-Age=${maxAge}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ];
  ctx.append('Set-Cookie', `${FLOW_COOKIE}=${value}; ${attributes.join('; ')}`);
}

const redirect = (ctx: RouteContext, location: string) => {
  ctx.status = 302;
  ctx.set('Location', location);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = '';
};

/** OpenID Connect sign-in and linking (docs/accounts.md, "Sign in with OpenID Connect"). */
export function oidcRoutes(api: Api, deps: OidcDeps): void {
  defineRoute(api, {
    method: 'get',
    path: '/v1/auth/oidc/{provider}/start',
    operationId: 'startOidc',
    summary: 'Open in the browser: redirects to the provider (authorization code flow, PKCE, state, nonce)',
    tag: 'oidc',
    auth: false,
    params: ProviderParams,
    query: StartQuery,
    success: { status: 302, description: 'To the provider; sets the flow cookie', headers: REDIRECT_HEADERS },
    problems: [400, 503],
    handle: async (ctx, { params, query }) => {
      const started = await deps.startSignIn.execute({ provider: params.provider, ...query });
      setFlowCookie(ctx, started.flow, started.ttlSeconds, deps.secureCookie);
      redirect(ctx, started.location);
    },
  });
  defineRoute(api, {
    method: 'get',
    path: '/v1/auth/oidc/{provider}/callback',
    operationId: 'oidcCallback',
    summary:
      'The provider’s redirect back (its authorization response as query): to returnTo with ?code= (sign-in), ' +
      '?linked= (link) or ?error=<problem code>',
    tag: 'oidc',
    auth: false,
    params: ProviderParams,
    query: CallbackQuery,
    success: { status: 302, description: 'Back to the app (returnTo)', headers: REDIRECT_HEADERS },
    problems: [400],
    handle: async (ctx, { params }) => {
      const flow = ctx.cookies.get(FLOW_COOKIE);
      // Spent either way: the provider's code works once, and so does this flow.
      setFlowCookie(ctx, '', 0, deps.secureCookie);
      const callbackUrl = new URL(`${COOKIE_PATH}?${ctx.querystring}`, 'http://callback.invalid');
      const finished = await deps.finishSignIn.execute({ provider: params.provider, callbackUrl, flow });
      redirect(ctx, finished.location);
    },
  });
  defineRoute(api, {
    method: 'post',
    path: '/v1/auth/oidc/exchange',
    operationId: 'exchangeOidcCode',
    summary: 'Trade the one-time code from the callback for tokens (amr ["fed"])',
    tag: 'oidc',
    auth: false,
    body: ExchangeBody,
    success: { status: 200, description: 'Tokens, as login', schema: TokenPairSchema },
    problems: [403],
    handle: async (ctx, { body }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = tokenPair(await deps.exchange.execute(body));
    },
  });
  defineRoute(api, {
    method: 'get',
    path: '/v1/auth/oidc/identities',
    operationId: 'listOidcIdentities',
    summary: 'The provider accounts linked to the caller',
    tag: 'oidc',
    auth: true,
    success: { status: 200, description: 'Linked identities, oldest first', schema: IdentityListSchema },
    handle: async (ctx, { actor }) => {
      const identities = await deps.listIdentities.execute({ actor });
      ctx.body = {
        items: identities.map((i) => ({ provider: i.provider, email: i.email, createdAt: i.createdAt.toISOString() })),
      };
    },
  });
  defineRoute(api, {
    method: 'post',
    path: '/v1/auth/oidc/{provider}/link',
    operationId: 'startOidcLink',
    summary: 'Start linking a provider: open the answered location in the browser (a single-use ticket)',
    tag: 'oidc',
    auth: true,
    params: ProviderParams,
    body: LinkBody,
    success: { status: 200, description: 'Where the browser goes', schema: LocationSchema },
    problems: [503],
    handle: async (ctx, { actor, params, body }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await deps.startLink.execute({ actor, provider: params.provider, ...body });
    },
  });
  defineRoute(api, {
    method: 'delete',
    path: '/v1/auth/oidc/{provider}/link',
    operationId: 'unlinkOidc',
    summary: 'Unlink a provider; refused (409) when it is the last way to sign in',
    tag: 'oidc',
    auth: true,
    params: ProviderParams,
    success: { status: 204, description: 'Unlinked' },
    problems: [409],
    handle: async (ctx, { actor, params }) => {
      await deps.unlink.execute({ actor, provider: params.provider });
      ctx.status = 204;
    },
  });
}
