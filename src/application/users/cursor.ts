import { createHash } from 'node:crypto';
import { invalidCursor } from '../../domain/errors.js';
import type { UserFilter, UserKey, UserSort } from '../../domain/user/user-list.js';

/** Opaque id cursors (the files lists): clients pass them back unchanged and never build them. */
export const encodeIdCursor = (lastId: string) => Buffer.from(JSON.stringify({ a: lastId })).toString('base64url');

export function decodeIdCursor(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object' && 'a' in parsed && typeof parsed.a === 'string') return parsed.a;
  } catch {
    // fall through to the 400 below
  }
  throw invalidCursor();
}

/**
 * The users list's cursors: clients pass them back unchanged and never build them. A cursor holds the
 * last item's position in its sort and a digest of the sort and filters it was issued under; under
 * any other sort or filter it is refused (400), since its position means nothing there. The limit
 * may change from page to page.
 */
export function encodeCursor(key: UserKey, sort: UserSort, filter: UserFilter): string {
  return Buffer.from(JSON.stringify({ k: key.value, i: key.id, q: digestOf(sort, filter) })).toString('base64url');
}

export function decodeCursor(cursor: string, sort: UserSort, filter: UserFilter): UserKey {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      parsed !== null &&
      typeof parsed === 'object' &&
      'k' in parsed &&
      'i' in parsed &&
      'q' in parsed &&
      typeof parsed.k === 'string' &&
      typeof parsed.i === 'string' &&
      parsed.q === digestOf(sort, filter)
    ) {
      return { value: parsed.k, id: parsed.i };
    }
  } catch {
    // fall through to the 400 below
  }
  throw invalidCursor();
}

/** The sort and every filter, in one fixed order (absent ones as null), hashed short. */
function digestOf(sort: UserSort, filter: UserFilter): string {
  const fields = [
    sort,
    filter.email ?? null,
    filter.role ?? null,
    filter.status ?? null,
    filter.q ?? null,
    filter.createdAfter?.toISOString() ?? null,
    filter.createdBefore?.toISOString() ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('base64url').slice(0, 16);
}
