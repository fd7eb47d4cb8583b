import { QueryOrder, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import { invalidCursor } from '../../../domain/errors.js';
import type { UserQuery } from '../../../domain/ports/user-store.js';
import type { ListStatus } from '../../../domain/user/status.js';
import { isDescending, prefixEnd, sortField, type UserSort } from '../../../domain/user/user-list.js';
import type { User } from '../../../domain/user/user.js';
import { isMalformedKey } from '../user-keys.js';
import { asDate, asString } from './mongo-guards.js';
import type { UserDocument } from './mongo-user-schema.js';

const SORT_FIELDS = { createdAt: 'createdAt', email: 'email', name: 'nameKey' } as const;

/**
 * The users list as one `find`: the filter user-list.ts's matchesFilter describes and the keyset
 * position, each part a comparison on an indexed field (every value through the guards), and the
 * sort with the id as tiebreak.
 */
export function listQuery(
  query: UserQuery,
  sort: UserSort,
): { where: FilterQuery<UserDocument>; orderBy: QueryOrderMap<UserDocument> } {
  const field = SORT_FIELDS[sortField(sort)];
  const and: FilterQuery<UserDocument>[] = [
    query.status === undefined
      ? { listStatus: { $ne: 'deleted' } }
      : { listStatus: asString(query.status, 'status') as ListStatus },
  ];
  if (query.role !== undefined) and.push({ role: asString(query.role, 'role') as User['role'] });
  if (query.email !== undefined) and.push({ email: asString(query.email, 'email') });
  if (query.q !== undefined) {
    const q = asString(query.q, 'q');
    const end = prefixEnd(q);
    and.push({ $or: [{ email: { $gte: q, $lt: end } }, { nameKey: { $gte: q, $lt: end } }] });
  }
  if (query.createdAfter !== undefined) and.push({ createdAt: { $gt: asDate(query.createdAfter, 'createdAfter') } });
  if (query.createdBefore !== undefined) and.push({ createdAt: { $lt: asDate(query.createdBefore, 'createdBefore') } });
  const { after } = query;
  if (after !== undefined) {
    const key = { id: asString(after.id, 'cursor'), value: asString(after.value, 'cursor') };
    if (isMalformedKey(key, sort)) throw invalidCursor();
    const { id } = key;
    const value = field === 'createdAt' ? new Date(key.value) : key.value;
    const beyond = isDescending(sort) ? '$lt' : '$gt';
    and.push({ $or: [{ [field]: { [beyond]: value } }, { [field]: value, _id: { [beyond]: id } }] });
  }
  const order = isDescending(sort) ? QueryOrder.DESC : QueryOrder.ASC;
  return { where: { $and: and } as FilterQuery<UserDocument>, orderBy: { [field]: order, _id: order } };
}
