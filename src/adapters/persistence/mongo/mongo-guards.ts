import { invalid } from '../../../domain/errors.js';
import { checkProfile, type Profile } from '../../../domain/user/profile.js';

/**
 * Defence in depth against operator injection; the HTTP layer already answers 400 first. A value
 * headed for a filter or a document must be a primitive string: an object such as `{"$ne": null}`
 * or `{"$where": "..."}`, an array or a number is refused with REQUEST.INVALID before any query is
 * built. Refused, not read as "no match": reaching here with one means a caller is broken or hostile.
 */
export function asString(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  throw invalid('A stored or queried value must be text.', [{ path, message: 'must be a string' }]);
}

/** Absent optional text is stored as null, never as a missing field or anything else. */
export const asStringOrNull = (value: unknown, path: string): string | null =>
  value === undefined || value === null ? null : asString(value, path);

/** A byte count: a whole, non-negative number (an object here could become `{ $inc: n }`). */
export function asCount(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw invalid('A stored count must be a whole number.', [{ path, message: 'must be a non-negative whole number' }]);
}

export function asDate(value: unknown, path: string): Date {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return new Date(value.getTime());
  throw invalid('A stored value must be a date.', [{ path, message: 'must be a valid date' }]);
}

export const asDateOrNull = (value: unknown, path: string): Date | null =>
  value === null ? null : asDate(value, path);

/**
 * The domain's own profile rules again (no `$`-prefixed or dotted keys, size, depth): a `$` key in
 * a sub-document would otherwise be read as an update operator (MikroORM turns `{ $inc: n }` into
 * one). A copy is stored, so the caller's object is never touched by the ORM.
 */
export function asProfile(value: unknown): Profile {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid('Profile must be an object.', [{ path: 'profile', message: 'must be an object' }]);
  }
  return structuredClone(checkProfile(value as Profile));
}
