import type { User, Actor } from '../../domain/user/user.js';
import { requireAdmin } from './access.js';
import type { RegisterUser, RegisterUserInput } from './register-user.js';

/** An admin creates an account, optionally with a role and profile. */
export class CreateUser {
  constructor(private readonly register: RegisterUser) {}

  execute(input: RegisterUserInput & { actor: Actor }): Promise<User> {
    requireAdmin(input.actor);
    const { actor: _actor, ...rest } = input;
    return this.register.execute(rest);
  }
}
