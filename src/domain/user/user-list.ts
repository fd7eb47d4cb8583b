import type { Role } from './role.js';
import { listStatusOf, type ListStatus } from './status.js';
import type { User } from './user.js';

export const USER_SORTS = ['createdAt', '-createdAt', 'email', '-email', 'name', '-name'] as const;
/** A sort field, descending with a leading `-`; every sort ends on the id, so equal keys keep one order. */
export type UserSort = (typeof USER_SORTS)[number];
export type UserSortField = 'createdAt' | 'email' | 'name';

export const sortField = (sort: UserSort): UserSortField => sort.replace(/^-/, '') as UserSortField;
export const isDescending = (sort: UserSort) => sort.startsWith('-');

/**
 * What names sort and match by: lower-cased (the same JavaScript lower-casing on every backend, so
 * the stores keep it as a column of its own rather than each database lower-casing in its own way).
 */
export const nameKey = (name: string) => name.toLowerCase();

export interface UserFilter {
  /** Exact, as stored (trimmed, lower-cased). */
  email?: string;
  role?: Role;
  /** Without it: active and disabled users, never deleted ones. */
  status?: ListStatus;
  /** Lower-cased prefix of the email or of the name (nameKey). */
  q?: string;
  /** Strictly after / before. */
  createdAfter?: Date;
  createdBefore?: Date;
}

/**
 * A position in one sort: the last item's sort value (createdAt as an ISO string, the email, or the
 * name key) and its id, the tiebreak. Items strictly after it (in the sort's direction) follow.
 */
export interface UserKey {
  value: string;
  id: string;
}

/** The sort value of a user, as a UserKey holds it. */
export function sortValueOf(user: User, sort: UserSort): string {
  switch (sortField(sort)) {
    case 'createdAt':
      return user.createdAt.toISOString();
    case 'email':
      return user.email;
    case 'name':
      return nameKey(user.name);
  }
}

/** A user's position in `sort`: what a page's `last` holds. */
export const keyOf = (user: User, sort: UserSort): UserKey => ({ value: sortValueOf(user, sort), id: user.id });

/**
 * The exclusive upper bound of the strings starting with `prefix` in code point order (which is
 * UTF-8 byte order, the order of every store here): the prefix with its last code point plus one.
 * So a prefix search is a range on an index, with no pattern language (LIKE, regex) to escape.
 */
export function prefixEnd(prefix: string): string {
  const points = [...prefix];
  const last = points.pop()!.codePointAt(0)!;
  // Past the surrogate block (no code point there) and past the last code point (nothing is after it).
  const next = last === 0xd7ff ? 0xe000 : last + 1;
  return next > 0x10ffff ? prefixEnd(points.join('')) : points.join('') + String.fromCodePoint(next);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Code point order (JavaScript's `<` compares UTF-16 units, which differs above U+FFFF). */
const comparePoints = (a: string, b: string) => {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
};

/** The order of `sort` over users, ties broken by id: what every store's ORDER BY means. */
export function compareUsers(sort: UserSort): (a: User, b: User) => number {
  const sign = isDescending(sort) ? -1 : 1;
  return (a, b) => sign * (comparePoints(sortValueOf(a, sort), sortValueOf(b, sort)) || compare(a.id, b.id));
}

/** Whether `user` is after `key` in `sort` (the keyset condition), as every store evaluates it. */
export function isAfterKey(user: User, key: UserKey, sort: UserSort): boolean {
  const sign = isDescending(sort) ? -1 : 1;
  const c = comparePoints(sortValueOf(user, sort), key.value) || compare(user.id, key.id);
  return sign * c > 0;
}

/** The filter, as every store applies it. */
export function matchesFilter(user: User, filter: UserFilter): boolean {
  const status = listStatusOf(user);
  const q = filter.q;
  return (
    (filter.email === undefined || user.email === filter.email) &&
    (filter.role === undefined || user.role === filter.role) &&
    (filter.status === undefined ? status !== 'deleted' : status === filter.status) &&
    (q === undefined || user.email.startsWith(q) || nameKey(user.name).startsWith(q)) &&
    (filter.createdAfter === undefined || user.createdAt > filter.createdAfter) &&
    (filter.createdBefore === undefined || user.createdAt < filter.createdBefore)
  );
}
