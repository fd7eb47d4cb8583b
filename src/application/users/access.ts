import { DomainError, notFound } from '../../domain/errors.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { canAccess, isAdmin, type Actor, type User } from '../../domain/user/user.js';

export function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new DomainError('AUTH.FORBIDDEN', 'This needs the admin role.');
}

/** Loads a user the actor may see; anything else looks absent (404), never forbidden. */
export async function loadVisibleUser(users: UserStore, actor: Actor, id: string): Promise<User> {
  if (!canAccess(actor, id)) throw notFound();
  const user = await users.findById(id);
  if (!user) throw notFound();
  return user;
}
