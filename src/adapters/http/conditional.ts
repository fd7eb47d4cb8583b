import type { IfMatch } from '../../domain/precondition.js';
import type { RouteContext } from './context.js';

/**
 * Entity tags and the preconditions that compare them (RFC 9110 section 13). A tag is strong and
 * opaque to clients: base64url of `<id>:<version>`, quoted. It is derived from the record's id and
 * stored version only, so every store and every process gives a record the same tag, and a tag
 * names its version without a lookup.
 */
export function etagOf(id: string, version: number): string {
  return `"${Buffer.from(`${id}:${version}`).toString('base64url')}"`;
}

interface EntityTag {
  weak: boolean;
  /** The quoted opaque part, quotes included. */
  opaque: string;
}

// RFC 9110 entity-tag: an optional W/, then etagc characters between double quotes.
const TAG = /^(W\/)?("[\x21\x23-\x7e\x80-\xff]*")$/;

/**
 * A field value of If-Match or If-None-Match: `*`, or its entity tags. An element that is no
 * entity tag is dropped: it can match nothing. Absent header: undefined.
 */
export function parseTags(value: string | undefined): '*' | EntityTag[] | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '*') return '*';
  const tags: EntityTag[] = [];
  for (const element of value.split(',')) {
    const match = TAG.exec(element.trim());
    if (match?.[2] !== undefined) tags.push({ weak: match[1] !== undefined, opaque: match[2] });
  }
  return tags;
}

/**
 * What If-Match asks of record `id`: any version (`*`), or the versions its strong tags name (weak
 * tags never match If-Match, RFC 9110 13.1.1). A tag of another record, or none of ours, names no
 * version: the condition then fails for every version.
 */
export function ifMatchOf(ctx: RouteContext, id: string): IfMatch | undefined {
  return ifMatchIn(header(ctx, 'If-Match'), id);
}

export function ifMatchIn(value: string | undefined, id: string): IfMatch | undefined {
  const tags = parseTags(value);
  if (tags === undefined || tags === '*') return tags;
  return tags.flatMap((tag) => (tag.weak ? [] : versionIn(tag.opaque, id)));
}

function versionIn(opaque: string, id: string): number[] {
  const decoded = Buffer.from(opaque.slice(1, -1), 'base64url').toString();
  const prefix = `${id}:`;
  if (!decoded.startsWith(prefix)) return [];
  const version = decoded.slice(prefix.length);
  return /^[1-9][0-9]{0,14}$/.test(version) ? [Number(version)] : [];
}

/** If-None-Match names the current tag (weak comparison, RFC 9110 13.1.2), or is `*`: answer 304. */
export function noneMatchHits(value: string | undefined, etag: string): boolean {
  const tags = parseTags(value);
  if (tags === undefined) return false;
  if (tags === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return tags.some((tag) => tag.opaque === opaque);
}

/** After a GET's handler: its 200 becomes a 304 with the same ETag and no body when If-None-Match names it. */
export function notModified(ctx: RouteContext): void {
  const etag = ctx.response.get('ETag');
  if (ctx.status !== 200 || etag === '' || !noneMatchHits(header(ctx, 'If-None-Match'), etag)) return;
  ctx.body = null;
  ctx.status = 304;
}

const header = (ctx: RouteContext, name: string) => (ctx.get(name) === '' ? undefined : ctx.get(name));
