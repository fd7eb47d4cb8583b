import { invalidCursor } from '../../domain/errors.js';

/** Opaque list cursors: clients pass them back unchanged and never build them. */
export const encodeCursor = (lastId: string) => Buffer.from(JSON.stringify({ a: lastId })).toString('base64url');

export function decodeCursor(cursor: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object' && 'a' in parsed && typeof parsed.a === 'string') return parsed.a;
  } catch {
    // fall through to the 400 below
  }
  throw invalidCursor();
}
