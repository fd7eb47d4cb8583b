import type { RequestedRange } from '../../application/files/download-file.js';
import type { ObjectContent } from '../../domain/ports/file-store.js';
import type { HttpContext } from './context.js';

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * One range of a `Range` header. Several ranges, other units and malformed values are ignored
 * (the whole file is sent), as RFC 9110 allows; only a well-formed one can answer 206 or 416.
 */
export function parseRange(header: string): RequestedRange | undefined {
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  const [start, end] = [Number(first), Number(last)];
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return undefined;
  if (first === '') return last === '' ? undefined : { suffix: end };
  if (last === '') return { start };
  return end < start ? undefined : { start, end };
}

/**
 * Streams stored bytes as the answer: 200, or 206 with Content-Range for a range. Never sniffed
 * (the global nosniff header) and, where given, always an attachment.
 */
export function sendContent(
  ctx: HttpContext,
  content: ObjectContent,
  options: { contentType?: string; disposition?: string } = {},
): void {
  const { contentRange: range } = content;
  ctx.status = range ? 206 : 200;
  ctx.set({
    // Set before the body: Koa would otherwise type a stream application/octet-stream.
    'Content-Type': options.contentType ?? content.contentType,
    'Accept-Ranges': 'bytes',
    ETag: `"${content.etag}"`,
    'Last-Modified': content.lastModified.toUTCString(),
    ...(range ? { 'Content-Range': `bytes ${range.start}-${range.end}/${range.size}` } : {}),
    ...(options.disposition ? { 'Content-Disposition': options.disposition } : {}),
  });
  ctx.body = content.body;
  // After the body: assigning a stream clears the length.
  ctx.length = content.contentLength;
}

/**
 * The store's own links are relative (`/v1/files/_local/...`); clients get them on the origin they
 * called (behind a trusted proxy, its X-Forwarded-Proto and -Host). Koa 3's `ctx.origin` is the
 * Origin request header, not this.
 */
export const onOrigin = (ctx: HttpContext) => (url: string) => new URL(url, `${ctx.protocol}://${ctx.host}`).toString();
