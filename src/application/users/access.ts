import type { UserStore } from '../../domain/ports/user-store.js';
import { canAccess, isAdmin, type Actor, type User } from '../../domain/user/user.js';
import { adminOnly, userNotFound } from '../../domain/user/user-errors.js';

export function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw adminOnly();
}

/** Loads a user the actor may see; anything else looks absent (404), never forbidden. */
export async function loadVisibleUser(users: UserStore, actor: Actor, id: string): Promise<User> {
  if (!canAccess(actor, id)) throw userNotFound();
  const user = await users.findById(id);
  if (!user) throw userNotFound();
  return user;
}
