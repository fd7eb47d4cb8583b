import { DomainError } from '../../domain/errors.js';
import type { PasswordHasher } from '../../domain/ports/password-hasher.js';
import type { IssuedToken, TokenService } from '../../domain/ports/token-service.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import type { User } from '../../domain/user/user.js';

const invalidCredentials = () => new DomainError('AUTH.INVALID_CREDENTIALS', 'Email or password is wrong.');

export interface LoginResult {
  user: User;
  access: IssuedToken;
}

/**
 * Checks a password and issues an access token. An unknown email costs one hash comparison
 * against a dummy hash, so response time does not reveal whether the account exists.
 */
export class Login {
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
  ) {}

  async execute(input: { email: string; password: string }): Promise<LoginResult> {
    const user = await this.users.findByEmail(input.email.trim().toLowerCase());
    const hash = user?.passwordHash ?? (await this.dummy());
    const matches = await this.hasher.verify(input.password.normalize('NFKC'), hash);
    if (!user || !matches) throw invalidCredentials();
    return { user, access: await this.tokens.issueAccessToken(user) };
  }

  /** Warms the dummy hash so the first unknown-email login is not slower than the rest. */
  warmUp(): Promise<string> {
    return this.dummy();
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.hasher.hash('dummy-password-that-never-matches');
    return this.dummyHash;
  }
}
