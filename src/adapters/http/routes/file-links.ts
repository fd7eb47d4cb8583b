import type { FileLinks } from '../../../domain/ports/file-store.js';
import type { HttpContext, HttpState } from '../context.js';
import { parseRange, sendContent } from '../file-content.js';
import type { Api } from '../route.js';

const LINKS = '/v1/files/_local/';

/** Bodies the JSON parser must leave alone: uploads, streamed by their routes. */
export const isRawBodyRequest = (ctx: HttpContext): boolean =>
  (ctx.method === 'POST' && /^\/v1\/files\/?$/.test(ctx.path)) || (ctx.method === 'PUT' && ctx.path.startsWith(LINKS));

const lengthOf = (header: string) => (/^\d+$/.test(header) ? Number(header) : undefined);

/**
 * The links the local-disk and in-memory stores sign: `/v1/files/_local/{token}`, answered here
 * because those stores have no HTTP endpoint of their own. The token is the whole authority (no
 * bearer token), like an S3 pre-signed URL; these routes are the store's, not the API's, so they
 * are not in the OpenAPI document. Only `range` of a GET is ignored when it is a suffix range.
 */
export function fileLinkRoutes(api: Api, links: FileLinks): void {
  api.router.get(`${LINKS}:token`, async (ctx) => {
    const range = parseRange(ctx.get('Range'));
    const method = ctx.method === 'HEAD' ? 'HEAD' : 'GET';
    const answer = await links.serve(ctx.params.token ?? '', {
      method,
      range: range && 'start' in range ? range : undefined,
    });
    if (answer.kind !== 'content') return;
    sendContent(ctx, answer.content, { disposition: answer.contentDisposition });
  });
  api.router.put<HttpState>(`${LINKS}:token`, async (ctx) => {
    const contentType = ctx.get('Content-Type') || undefined;
    const answer = await links.serve(ctx.params.token ?? '', {
      method: 'PUT',
      body: ctx.req,
      contentType,
      contentLength: lengthOf(ctx.get('Content-Length')),
    });
    if (answer.kind !== 'stored') return;
    ctx.set('ETag', `"${answer.etag}"`);
    ctx.body = '';
  });
}
