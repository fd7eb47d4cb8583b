import type { UserStore } from '../../domain/ports/user-store.js';
import { Email } from '../../domain/user/email.js';
import type { Role } from '../../domain/user/role.js';
import type { ListStatus } from '../../domain/user/status.js';
import type { UserFilter, UserSort } from '../../domain/user/user-list.js';
import type { Actor, User } from '../../domain/user/user.js';
import { requireAdmin } from './access.js';
import { decodeCursor, encodeCursor } from './cursor.js';

export interface ListUsersInput {
  actor: Actor;
  limit: number;
  cursor?: string;
  email?: string;
  role?: Role;
  status?: ListStatus;
  /** A prefix of the email or the name, any case. */
  q?: string;
  createdAfter?: Date;
  createdBefore?: Date;
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
