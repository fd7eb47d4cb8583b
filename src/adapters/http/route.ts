import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router, RouterMiddleware } from '@koa/router';
import type { Middleware } from 'koa';
import compose from 'koa-compose';
import type { z } from 'zod';
import type { Authenticate } from '../../application/auth/authenticate.js';
import type { Actor } from '../../domain/user/user.js';
import type { HttpState, RouteContext } from './context.js';
import { requireActor } from './middleware/auth.js';
import { notModified } from './conditional.js';
import type { Idempotency } from './idempotency.js';
import { openApiOperation, type Success } from './openapi.js';
import { withRateLimits } from './rate-limit-headers.js';
import { HttpProblem } from './problem.js';
import { check, invalidRequest, type Checked } from './validation.js';

/** Where routes go: the router that serves them and the registry that documents them. */
export interface Api {
  router: Router<HttpState>;
  registry: OpenAPIRegistry;
  authenticate: Pick<Authenticate, 'execute'>;
  /** REQUIRE_IF_MATCH: `conditional: 'write'` routes answer 428 to a request without If-Match. */
  requireIfMatch?: boolean;
  /** Runs `idempotent` routes at most once per Idempotency-Key; absent: the header is ignored. */
  idempotency?: Pick<Idempotency, 'run'>;
}

/** A feature's routes: each feature's container module binds one (or more) of these. */
export type RouteRegistrar = (api: Api) => void;

// zod's own spelling of an object schema with no keys.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type Empty = z.ZodObject<{}>;

export interface RouteInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, A extends boolean> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  actor: A extends true ? Actor : undefined;
}

export interface RouteSpec<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType, A extends boolean> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI syntax (`/v1/users/{id}`); the Koa pattern is derived from it. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  auth: A;
  params?: P;
  /** What a malformed path parameter answers; it names nothing, so by default 404. */
  paramsNotFound?: () => Error;
  query?: Q;
  body?: B;
  /** Media types accepted for the body besides application/json. */
  bodyTypes?: string[];
  /** The body is raw bytes the handler streams itself (never parsed here); documented as binary. */
  rawBody?: { description: string };
  success: Success;
  /** Other answers in their own shape, not problems (readiness answers 503 like its 200). */
  also?: Success[];
  /** Error statuses this route can answer beyond those implied by auth, params and body. */
  problems?: number[];
  /**
   * RFC 9110 preconditions. `read`: the handler sets `ETag`, and a matching If-None-Match turns its
   * 200 into a 304 without a body. `write`: the handler passes If-Match on (`ifMatchOf`); without
   * one, REQUIRE_IF_MATCH answers 428. Both are documented: the headers, and 304 or 412 and 428.
   */
  conditional?: 'read' | 'write';
  /**
   * The handler goes through a throttle: its answer, success or problem, carries the RateLimit
   * headers the throttle reported (rate-limit-headers.ts), and the document says so.
   */
  rateLimited?: boolean;
  /**
   * A creating POST that honours Idempotency-Key (idempotency.ts): past authentication and
   * validation, a retry replays the first answer instead of running the handler. Documented: the
   * header, and 409 and 422.
   */
  idempotent?: boolean;
  handle: (ctx: RouteContext, input: RouteInput<P, Q, B, A>) => Promise<void> | void;
}

const NONE: Checked<undefined> = { ok: true, value: undefined };
const koaPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** Each router's paths without parameters (`/v1/files/uploads`), which outrank templated ones. */
const literalPaths = new WeakMap<Router<HttpState>, Set<string>>();
const literalsOf = (router: Router<HttpState>) => {
  let paths = literalPaths.get(router);
  if (!paths) literalPaths.set(router, (paths = new Set()));
  return paths;
};

/**
 * As OpenAPI matches paths: a concrete path goes before a templated one that would also match it,
 * so `GET /v1/files/uploads` is not `GET /v1/files/{id}` with id "uploads" (it is 405, see
 * `allowedMethods`). A templated route steps aside for a path some literal route owns.
 */
function yieldingToLiterals(
  router: Router<HttpState>,
  chain: RouterMiddleware<HttpState>[],
): RouterMiddleware<HttpState> {
  const route = compose(chain);
  return (ctx, next) => (literalsOf(router).has(ctx.path) ? next() : route(ctx));
}

interface MatchedLayer {
  methods: string[];
  paramNames: unknown[];
}

/**
 * Methods HTTP itself defines: RFC 9110's, PATCH (RFC 5789) and QUERY (httpbis); anything else
 * (WebDAV's PROPFIND) is not implemented here: 501.
 */
const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'QUERY',
]);

/**
 * After the routes, for a request none answered: OPTIONS gets 200 with `Allow`, a method the path
 * does not support 405 with `Allow`, a method HTTP does not define 501. The methods counted are
 * those of the path's literal routes when it has any, else those of the templated routes matching it.
 */
export const allowedMethods = (): Middleware<HttpState> => async (ctx, next) => {
  await next();
  if (ctx.status !== 404 || ctx.body != null) return;
  if (!KNOWN_METHODS.has(ctx.method)) {
    ctx.status = 501;
    return;
  }
  const layers = ((ctx as { matched?: MatchedLayer[] }).matched ?? []).filter((layer) => layer.methods.length > 0);
  const literal = layers.filter((layer) => layer.paramNames.length === 0);
  const allowed = [...new Set((literal.length ? literal : layers).flatMap((layer) => layer.methods))];
  if (!allowed.length || allowed.includes(ctx.method)) return;
  ctx.set('Allow', allowed.join(', '));
  if (ctx.method === 'OPTIONS') {
    ctx.status = 200;
    ctx.body = '';
  } else {
    ctx.status = 405;
  }
};

/** What an idempotent request asks besides method, path and query: its JSON body, or a raw body's description. */
const requestedOf = (ctx: RouteContext, spec: { rawBody?: unknown }) =>
  spec.rawBody
    ? { contentLength: ctx.get('Content-Length'), contentType: ctx.get('Content-Type') }
    : (ctx.request.body as unknown);

/**
 * Registers one operation twice from the same schemas: on the router, validating params, query
 * and body before the handler runs; and in the OpenAPI registry, describing exactly that.
 */
export function defineRoute<
  A extends boolean,
  P extends z.ZodObject = Empty,
  Q extends z.ZodObject = Empty,
  B extends z.ZodType = z.ZodUndefined,
>(api: Api, spec: RouteSpec<P, Q, B, A>): void {
  api.registry.registerPath(openApiOperation(spec));
  const validateAndHandle: RouterMiddleware<HttpState> = async (ctx) => {
    const params = spec.params ? check(spec.params, ctx.params) : NONE;
    if (!params.ok) throw (spec.paramsNotFound ?? (() => new HttpProblem('ROUTE.NOT_FOUND')))();
    const query = spec.query ? check(spec.query, ctx.query) : NONE;
    const body = spec.body ? check(spec.body, ctx.request.body) : NONE;
    if (!query.ok || !body.ok) throw invalidRequest([query, body]);
    // Each part was parsed by its own schema above (or is absent together with it), and `auth`
    // routes only get here past requireActor, which sets the actor or throws.
    const input = { params: params.value, query: query.value, body: body.value, actor: ctx.state.actor };
    // A request that timed out while authenticating has already been answered: do not start its work.
    if (ctx.state.abandoned) throw ctx.state.abandoned;
    if (spec.conditional === 'write' && api.requireIfMatch && ctx.get('If-Match') === '') {
      throw new HttpProblem('PRECONDITION.REQUIRED');
    }
    const run = async () => spec.handle(ctx, input as RouteInput<P, Q, B, A>);
    const handle = spec.rateLimited ? () => withRateLimits(ctx, run) : run;
    if (spec.idempotent && api.idempotency) await api.idempotency.run(ctx, requestedOf(ctx, spec), handle);
    else await handle();
    if (spec.conditional === 'read') notModified(ctx);
  };
  const chain = spec.auth ? [requireActor(api.authenticate), validateAndHandle] : [validateAndHandle];
  const templated = spec.path.includes('{');
  if (!templated) literalsOf(api.router).add(spec.path);
  const layer = templated ? [yieldingToLiterals(api.router, chain)] : chain;
  api.router.register(koaPath(spec.path), [spec.method], layer, { ...api.router.opts, name: spec.operationId });
}
