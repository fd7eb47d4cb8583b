import { preconditionFailed } from './errors.js';

/**
 * What a conditional write asks of the stored record (from HTTP's If-Match): `'*'`, any existing
 * version; or one of the listed versions. Absent: no condition.
 */
export type IfMatch = '*' | readonly number[];

/**
 * The version a write must still find in the store for `ifMatch` to hold, given the version just
 * read; undefined when any version will do. Throws PRECONDITION.FAILED when it already does not hold.
 */
export function expectedVersion(ifMatch: IfMatch | undefined, current: number): number | undefined {
  if (ifMatch === undefined || ifMatch === '*') return undefined;
  if (!ifMatch.includes(current)) throw preconditionFailed();
  return current;
}
