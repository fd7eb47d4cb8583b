import { validate as isUuid } from 'uuid';
import type { UserKey, UserSort } from '../../domain/user/user-list.js';
import { sortField } from '../../domain/user/user-list.js';

/**
 * A list position no store could have issued: an id that is not a UUID (PostgreSQL could not even
 * compare it), or a createdAt value that is not a date. Every store refuses it as invalidCursor.
 */
export const isMalformedKey = (key: UserKey, sort: UserSort): boolean =>
  !isUuid(key.id) || (sortField(sort) === 'createdAt' && Number.isNaN(Date.parse(key.value)));
