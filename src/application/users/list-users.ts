import type { UserStore } from '../../domain/ports/user-store.js';
import { Email } from '../../domain/user/email.js';
import type { UserFilter, UserSort } from '../../domain/user/user-list.js';
import type { Actor, User } from '../../domain/user/user.js';
import { requireAdmin } from './access.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/** The filters as the client sent them (`email` and `q` in any case), with the page and the sort. */
export interface ListUsersInput extends UserFilter {
  actor: Actor;
  limit: number;
  cursor?: string;
  sort?: UserSort;
}

/** The admin list: filters, a sort, and keyset pages (cursor.ts) that hold only under both. */
export class ListUsers {
  constructor(private readonly users: UserStore) {}

  async execute(input: ListUsersInput): Promise<{ items: User[]; nextCursor: string | null }> {
    requireAdmin(input.actor);
    const sort = input.sort ?? 'createdAt';
    const filter: UserFilter = {
      email: input.email === undefined ? undefined : Email.parse(input.email).value,
      role: input.role,
      status: input.status,
      // Emails are stored lower-cased and names sort by their lower-cased key (user-list.ts).
      q: input.q?.toLowerCase(),
      createdAfter: input.createdAfter,
      createdBefore: input.createdBefore,
    };
    const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor, sort, filter);
    const page = await this.users.list({ ...filter, limit: input.limit, sort, after });
    return { items: page.items, nextCursor: page.last ? encodeCursor(page.last, sort, filter) : null };
  }
}
