import type { UserStore } from '../../domain/ports/user-store.js';
import { Email } from '../../domain/user/email.js';
import type { RegisterUser } from '../users/register-user.js';

/** Makes sure the configured admin exists: created once, never overwritten. */
export class EnsureAdmin {
  constructor(
    private readonly users: UserStore,
    private readonly register: RegisterUser,
  ) {}

  async execute(input: { email: string; password: string }): Promise<'created' | 'exists'> {
    if (await this.users.findByEmail(Email.parse(input.email).value, { withDeleted: true })) return 'exists';
    try {
      await this.register.execute({ ...input, name: 'Administrator', role: 'admin', verified: true });
      return 'created';
    } catch (error) {
      // Another process created it between our check and insert: that is the outcome we wanted.
      if (error instanceof Error && 'code' in error && error.code === 'USER.EMAIL_TAKEN') return 'exists';
      throw error;
    }
  }
}
