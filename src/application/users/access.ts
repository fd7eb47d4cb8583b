import { DomainError } from '../../domain/errors.js';
import type { FindOptions, UserStore } from '../../domain/ports/user-store.js';
import { canAccess, isAdmin, type Actor, type User } from '../../domain/user/user.js';
import { adminOnly, userNotFound } from '../../domain/user/user-errors.js';

export function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw adminOnly();
}

/** Loads a user the actor may see; anything else looks absent (404), never forbidden. */
export async function loadVisibleUser(
  users: UserStore,
  actor: Actor,
  id: string,
  options: FindOptions = {},
): Promise<User> {
  if (!canAccess(actor, id)) throw userNotFound();
  const user = await users.findById(id, options);
  if (!user) throw userNotFound();
  return user;
}

const FRESH_READS = 5;

/**
 * A read-modify-write of a user, written over the version it read. Without If-Match, a concurrent
 * write in between (PRECONDITION.FAILED from the store) makes it read and apply the change again, a
 * few times; with If-Match, the client named the version, and the 412 is theirs to see.
 */
export async function withFreshReads<T>(ifMatch: unknown, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      const conflict = error instanceof DomainError && error.code === 'PRECONDITION.FAILED';
      if (!conflict || ifMatch !== undefined || tries === FRESH_READS) throw error;
    }
  }
}
