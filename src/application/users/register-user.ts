import type { Clock } from '../../domain/ports/clock.js';
import type { IdGenerator } from '../../domain/ports/id-generator.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.js';
import type { PasswordHasher } from '../../domain/ports/password-hasher.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { Email } from '../../domain/user/email.js';
import { Password } from '../../domain/user/password.js';
import { checkProfile, type Profile } from '../../domain/user/profile.js';
import type { Role } from '../../domain/user/role.js';
import { User } from '../../domain/user/user.js';
import { emailTaken } from '../../domain/user/user-errors.js';
import type { AccountMail } from '../accounts/account-mail.js';

export interface RegisterUserInput {
  email: string;
  password: string;
  name: string;
  role?: Role;
  profile?: Profile;
  /** The address is known to be theirs (the configured admin): no verification link is mailed. */
  verified?: boolean;
}

/**
 * Creates an account; the plain password is hashed before anything is stored. The verification
 * link is queued in the same unit of work as the user, so an account is never left without one.
 */
export class RegisterUser {
  constructor(
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly mail: Pick<AccountMail, 'verification'>,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute(input: RegisterUserInput): Promise<User> {
    const email = Email.parse(input.email);
    const password = Password.parse(input.password);
    const profile = checkProfile(input.profile ?? {});
    // Cheap early answer; the store's unique index stays the real guard against races.
    if (await this.users.findByEmail(email.value, { withDeleted: true })) {
      throw emailTaken();
    }
    const hash = await this.hasher.hash(password.value);
    const now = this.clock.now();
    const user = new User(
      this.ids.next(),
      email.value,
      input.name.trim(),
      input.role ?? 'user',
      profile,
      hash,
      now,
      now,
      input.verified ? now : null,
    );
    await this.unitOfWork.run(async () => {
      await this.users.create(user);
      if (!input.verified) await this.mail.verification(user);
    });
    return user;
  }
}
