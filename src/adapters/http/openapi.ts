import {
  OpenApiGeneratorV31,
  type OpenAPIRegistry,
  type ResponseConfig,
  type RouteConfig,
  type ZodRequestBody,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { RATE_LIMIT_HEADERS } from './rate-limit-headers.js';
import { ProblemSchema } from './schemas/common.js';

export interface Success {
  status: number;
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json. */
  mediaType?: string;
  headers?: Record<string, { description: string; schema: { type: 'string' | 'integer' } }>;
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is not valid (`REQUEST.INVALID`); `errors` lists every problem',
  401: 'Missing, invalid or expired credentials',
  403: 'The caller may not do this',
  404: 'No such resource, or one the caller may not see',
  409: 'Conflicts with existing data',
  410: 'The file was removed from the store outside the API (`FILE.GONE`); its versions can be listed and restored',
  412: 'If-Match names no current version (`PRECONDITION.FAILED`); nothing was changed',
  428: 'If-Match is required on this server (`PRECONDITION.REQUIRED`; REQUIRE_IF_MATCH)',
  411: 'Neither Content-Length nor chunked Transfer-Encoding (`REQUEST.LENGTH_REQUIRED`)',
  413: 'The body is over the size limit (`REQUEST.TOO_LARGE`; `FILE.TOO_LARGE` for a file)',
  415: 'The body is not in an accepted JSON media type (`REQUEST.UNSUPPORTED_MEDIA_TYPE`)',
  422: 'This Idempotency-Key was used for a different request (`IDEMPOTENCY.KEY_REUSED`)',
  416: 'The range starts past the end of the file (`FILE.RANGE_NOT_SATISFIABLE`); Content-Range says the size',
  429: 'Too many attempts; see Retry-After',
  500: 'Unexpected error (`INTERNAL`)',
  501: 'The configured store does not support this (`FILE.UNSUPPORTED`)',
  503: 'A dependency is unavailable; see Retry-After',
};

const HEADERS: Record<number, Success['headers']> = {
  401: { 'WWW-Authenticate': { description: 'Bearer challenge', schema: { type: 'string' } } },
  429: {
    'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
    ...RATE_LIMIT_HEADERS,
  },
  503: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
};

const IN_FLIGHT =
  'Conflicts with existing data, or a request with this Idempotency-Key is still running (`IDEMPOTENCY.IN_FLIGHT`)';

const problemResponse = (status: number, idempotent = false): ResponseConfig => ({
  description: (idempotent && status === 409 ? IN_FLIGHT : PROBLEM_DESCRIPTIONS[status]) ?? 'Error',
  headers: HEADERS[status],
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

const plainResponse = (s: Success): ResponseConfig => ({
  description: s.description,
  headers: s.headers,
  content: s.schema && { [s.mediaType ?? 'application/json']: { schema: s.schema } },
});

interface Operation {
  method: RouteConfig['method'];
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  auth: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  bodyTypes?: string[];
  rawBody?: { description: string };
  success: Success;
  /** Other answers in their own shape, not problems (readiness answers 503 like its 200). */
  also?: Success[];
  problems?: number[];
  conditional?: 'read' | 'write';
  /** Counted by a throttle: the success documents the RateLimit headers (429s always do). */
  rateLimited?: boolean;
  idempotent?: boolean;
}

const ETAG: NonNullable<Success['headers']> = {
  ETag: { description: 'The strong entity tag of this version of the resource', schema: { type: 'string' } },
};

const IF_NONE_MATCH = z.object({
  'If-None-Match': z
    .string()
    .optional()
    .meta({ description: 'ETags the client holds (or `*`): when one is current, 304 without a body' }),
});
const IF_MATCH = z.object({
  'If-Match': z
    .string()
    .optional()
    .meta({
      description:
        'The ETag this change is based on (a list, or `*` for any version): otherwise 412 and nothing changes. ' +
        'Required (428 without it) when the server runs with REQUIRE_IF_MATCH=true',
    }),
});

const IDEMPOTENCY_KEY = z.object({
  'Idempotency-Key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .meta({
      description:
        'Makes a retry safe: within 24 h (IDEMPOTENCY_TTL_S) the same key and request from the same caller ' +
        'replays the first answer (status, body, Location) instead of running again; the same key with another ' +
        'request is 422, and while the first still runs 409. Visible ASCII, 1 to 255 characters',
    }),
});

/** The request headers an operation documents. */
function requestHeaders(op: Operation): z.ZodObject | undefined {
  const conditional = op.conditional && (op.conditional === 'read' ? IF_NONE_MATCH : IF_MATCH);
  if (!op.idempotent) return conditional;
  return conditional ? conditional.extend(IDEMPOTENCY_KEY.shape) : IDEMPOTENCY_KEY;
}

const notModified = (): ResponseConfig => ({
  description: 'Not modified: If-None-Match names the current version; no body',
  headers: ETAG,
});

/** A success of a conditional operation that answers a representation carries its ETag. */
const withEtag = (s: Success, op: Operation): Success =>
  op.conditional && s.status === 200 && s.schema ? { ...s, headers: { ...s.headers, ...ETAG } } : s;

const BINARY = { type: 'string' as const, format: 'binary' };

function requestBody(op: Operation): ZodRequestBody | undefined {
  // Zero bytes are a file too (`Content-Length: 0` stores an empty one), so a raw body is not required.
  if (op.rawBody)
    return { required: false, description: op.rawBody.description, content: { '*/*': { schema: BINARY } } };
  const bodyTypes = ['application/json', ...(op.bodyTypes ?? [])];
  return op.body && { required: true, content: Object.fromEntries(bodyTypes.map((t) => [t, { schema: op.body }])) };
}

/** The OpenAPI operation for a route, including the errors its auth, params and body imply. */
export function openApiOperation(op: Operation): RouteConfig {
  const implied = [
    ...(op.auth ? [401] : []),
    ...(op.params ? [404] : []),
    ...(op.body ? [400, 413, 415] : []),
    ...(op.conditional === 'write' ? [412, 428] : []),
    ...(op.idempotent ? [400, 409, 422] : []),
  ];
  const statuses = [...new Set([...implied, ...(op.problems ?? []), 500])].sort((a, b) => a - b);
  const headers = requestHeaders(op);
  const success = op.rateLimited
    ? { ...op.success, headers: { ...op.success.headers, ...RATE_LIMIT_HEADERS } }
    : op.success;
  const successes = [success, ...(op.also ?? [])].map((s) => withEtag(s, op));
  return {
    method: op.method,
    path: op.path,
    operationId: op.operationId,
    summary: op.summary,
    tags: [op.tag],
    // A public route says so (`security: []`) rather than leaving it unsaid.
    security: op.auth ? [{ bearerAuth: [] }] : [],
    request: {
      params: op.params,
      query: op.query,
      ...(headers ? { headers } : {}),
      body: requestBody(op),
    },
    responses: {
      ...Object.fromEntries(statuses.map((status) => [status, problemResponse(status, op.idempotent)])),
      ...Object.fromEntries(successes.map((s) => [s.status, plainResponse(s)])),
      ...(op.conditional === 'read' ? { 304: notModified() } : {}),
    },
  };
}

export function registerSecurity(registry: OpenAPIRegistry): void {
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Access token from POST /v1/auth/login',
  });
}

export function openApiDocument(registry: OpenAPIRegistry) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Portico API',
      version: '1.0.0',
      description: 'Users, authentication and files. Errors are RFC 9457 problem details.',
    },
    // Relative: the document describes the server that serves it, wherever it is deployed.
    servers: [{ url: '/', description: 'The server this document is served from' }],
    tags: [
      { name: 'health', description: 'Probes and documentation' },
      { name: 'auth', description: 'Registration, login, keys' },
      { name: 'users', description: 'User accounts' },
      { name: 'files', description: 'File storage: streamed and direct uploads, downloads, versions' },
    ],
  });
}
