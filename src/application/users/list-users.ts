import type { UserStore } from '../../domain/ports/user-store.js';
import { Email } from '../../domain/user/email.js';
import type { Actor, User } from '../../domain/user/user.js';
import { requireAdmin } from './access.js';
import { decodeCursor, encodeCursor } from './cursor.js';

export interface ListUsersInput {
  actor: Actor;
  limit: number;
  cursor?: string;
  email?: string;
}

export class ListUsers {
  constructor(private readonly users: UserStore) {}

  async execute(input: ListUsersInput): Promise<{ items: User[]; nextCursor: string | null }> {
    requireAdmin(input.actor);
    const page = await this.users.list({
      limit: input.limit,
      after: input.cursor === undefined ? undefined : decodeCursor(input.cursor),
      email: input.email === undefined ? undefined : Email.parse(input.email).value,
    });
    return { items: page.items, nextCursor: page.last ? encodeCursor(page.last) : null };
  }
}
