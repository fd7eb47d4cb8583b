import type { IfMatch } from '../../domain/precondition.js';
import type { Profile } from '../../domain/user/profile.js';
import type { Actor, User } from '../../domain/user/user.js';
import type { UpdateUser } from './update-user.js';

/** PUT semantics: email, name and profile are all given and replace what was there. */
export class ReplaceUser {
  constructor(private readonly update: UpdateUser) {}

  execute(input: {
    actor: Actor;
    id: string;
    email: string;
    name: string;
    profile: Profile;
    ifMatch?: IfMatch;
  }): Promise<User> {
    const { email, name, profile, ifMatch } = input;
    return this.update.execute({
      actor: input.actor,
      id: input.id,
      ifMatch,
      changes: () => ({ email, name, profile }),
    });
  }
}
