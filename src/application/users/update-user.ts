import type { Clock } from '../../domain/ports/clock.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { Email } from '../../domain/user/email.js';
import { checkProfile, type Profile } from '../../domain/user/profile.js';
import type { Role } from '../../domain/user/role.js';
import { isAdmin, type Actor, type User } from '../../domain/user/user.js';
import { roleChangeNeedsAdmin } from '../../domain/user/user-errors.js';
import type { RevokeUserSessions } from '../sessions/revoke-user-sessions.js';
import { loadVisibleUser } from './access.js';

export interface UserChanges {
  email?: string;
  name?: string;
  profile?: Profile;
  role?: Role;
}

/** Applies already-resolved field values (PUT and PATCH both end here). */
export class UpdateUser {
  constructor(
    private readonly users: UserStore,
    private readonly clock: Clock,
    /** After a role change: sessions issued under the old role must end. */
    private readonly sessions: Pick<RevokeUserSessions, 'execute'>,
  ) {}

  async execute(input: { actor: Actor; id: string; changes: (user: User) => UserChanges }): Promise<User> {
    const user = await loadVisibleUser(this.users, input.actor, input.id);
    const changes = input.changes(user);
    if (changes.role !== undefined && changes.role !== user.role && !isAdmin(input.actor)) {
      throw roleChangeNeedsAdmin();
    }
    if (changes.email !== undefined) user.email = Email.parse(changes.email).value;
    if (changes.name !== undefined) user.name = changes.name.trim();
    if (changes.profile !== undefined) user.profile = checkProfile(changes.profile);
    const roleChanged = changes.role !== undefined && changes.role !== user.role;
    if (changes.role !== undefined) user.role = changes.role;
    user.updatedAt = this.clock.now();
    await this.users.update(user);
    if (roleChanged) await this.sessions.execute(user.id);
    return user;
  }
}
