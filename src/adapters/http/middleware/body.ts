import type { Middleware } from 'koa';
import { HttpMethodEnum, koaBody } from 'koa-body';
import { invalid } from '../../../domain/errors.js';
import type { HttpContext, HttpState } from '../context.js';
import { HttpProblem } from '../problem.js';

const JSON_TYPE = 'application/json';
/** RFC 7396: PATCH bodies may say what they are. */
const MERGE_PATCH_TYPE = 'application/merge-patch+json';
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** How deep a JSON body may nest: well above the deepest any schema allows (a profile, 5), far below what recursion chokes on. */
export const BODY_MAX_DEPTH = 32;

const statusOf = (error: Error) => ('status' in error && typeof error.status === 'number' ? error.status : 500);

/**
 * A decompression failure (zlib or brotli), raised while reading a body labelled gzip, deflate or
 * br that is not: the client's fault, not ours.
 */
const isDecodingError = (error: Error) =>
  'code' in error && typeof error.code === 'string' && /^(Z_|ERR_BROTLI|ERR__ERROR)/.test(error.code);

/** Parser failures become our problems; the parser's own text (which can quote the body) is dropped. */
function parserProblem(error: Error): Error {
  const status = statusOf(error);
  if (status === 413) return new HttpProblem('REQUEST.TOO_LARGE');
  if (status === 415)
    return new HttpProblem('REQUEST.UNSUPPORTED_MEDIA_TYPE', 'The body encoding or charset is not supported.');
  if (status >= 400 && status < 500) return invalid('The request body is not valid JSON.');
  if (isDecodingError(error)) return invalid('The request body does not match its Content-Encoding.');
  return error;
}

/**
 * Whether `value` (as JSON.parse returns it) nests arrays and objects more than `max` deep. An
 * explicit stack, not recursion, so no depth of input can overflow it; it stops at the first
 * container past the bound.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (item.value === null || typeof item.value !== 'object') continue;
    const depth = item.depth + 1;
    if (depth > max) return true;
    for (const child of Object.values(item.value)) stack.push({ value: child, depth });
  }
  return false;
}

/** How long a raw body the answer did not need is read and dropped before the connection is cut. */
const LINGER_MS = 5_000;

/** Whether the request says a body follows (chunked, or a Content-Length above 0). */
export const hasBody = (ctx: { get(field: string): string }) =>
  ctx.get('Transfer-Encoding') !== '' || Number(ctx.get('Content-Length')) > 0;

/**
 * A raw body (an upload) may be answered before it has all arrived: refused up front, too large,
 * or failed. Then read and drop the rest for a while, so the client gets to read the answer
 * instead of a reset, and cut the connection if it keeps sending.
 */
function releaseWhenAnswered(ctx: HttpContext): void {
  ctx.res.once('finish', () => {
    const { req } = ctx;
    if (req.complete) return;
    req.unpipe();
    req.resume();
    const timer = setTimeout(() => req.socket.destroy(), LINGER_MS).unref();
    req.once('end', () => clearTimeout(timer));
  });
}

/**
 * JSON bodies only, up to `limitBytes`; no forms, multipart or text. A body of any other type is
 * refused (415) before a byte of it is read. Requests for which `raw` holds (file uploads) are
 * left alone, of any type and size, for their route to stream.
 */
export function jsonBody(limitBytes: number, raw: (ctx: HttpContext) => boolean = () => false): Middleware<HttpState> {
  const parse = koaBody({
    json: true,
    jsonStrict: true,
    jsonLimit: limitBytes,
    jsonTypes: [JSON_TYPE, MERGE_PATCH_TYPE],
    multipart: false,
    urlencoded: false,
    text: false,
    parsedMethods: [HttpMethodEnum.POST, HttpMethodEnum.PUT, HttpMethodEnum.PATCH, HttpMethodEnum.DELETE],
    onError: (error) => {
      throw parserProblem(error);
    },
  });
  return async (ctx, next) => {
    if (raw(ctx)) {
      releaseWhenAnswered(ctx);
      return next();
    }
    // GET, HEAD, OPTIONS, and DELETE without a body: nothing to parse, and the parser is not free
    // per request. A DELETE may carry one (turning TOTP off proves the password and a code).
    if (!WITH_BODY.has(ctx.method) && !(ctx.method === 'DELETE' && hasBody(ctx))) return next();
    if (hasBody(ctx)) {
      const accepted = ctx.method === 'PATCH' ? [JSON_TYPE, MERGE_PATCH_TYPE] : [JSON_TYPE];
      if (!ctx.is(accepted)) {
        throw new HttpProblem('REQUEST.UNSUPPORTED_MEDIA_TYPE', `Send the body as ${accepted.join(' or ')}.`);
      }
    }
    await parse(ctx, () => {
      // Before any schema, rule or serializer (all recursive) walks it.
      if (nestedDeeperThan(ctx.request.body, BODY_MAX_DEPTH)) {
        throw invalid(`The request body is nested more than ${BODY_MAX_DEPTH} deep.`);
      }
      return next();
    });
  };
}
