import type { IfMatch } from '../../domain/precondition.js';
import type { Profile } from '../../domain/user/profile.js';
import type { Role } from '../../domain/user/role.js';
import type { UserStatus } from '../../domain/user/status.js';
import type { Actor, User } from '../../domain/user/user.js';
import { mergePatch } from './merge-patch.js';
import type { UpdateUser } from './update-user.js';

export interface UserPatch {
  email?: string;
  name?: string;
  profile?: Profile | null;
  role?: Role;
  status?: UserStatus;
}

/** PATCH semantics: a JSON merge patch of email, name and profile; role and status only by an admin. */
export class PatchUser {
  constructor(private readonly update: UpdateUser) {}

  execute(input: { actor: Actor; id: string; patch: UserPatch; ifMatch?: IfMatch }): Promise<User> {
    const { patch } = input;
    return this.update.execute({
      actor: input.actor,
      id: input.id,
      ifMatch: input.ifMatch,
      changes: (user) => ({
        email: patch.email,
        name: patch.name,
        role: patch.role,
        status: patch.status,
        profile:
          patch.profile === undefined ? undefined : ((mergePatch(user.profile, patch.profile ?? {}) ?? {}) as Profile),
      }),
    });
  }
}
