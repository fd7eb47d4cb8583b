import type { LoginThrottle } from '../../domain/ports/login-throttle.js';
import type { PasswordHasher } from '../../domain/ports/password-hasher.js';
import type { IssuedToken, TokenService } from '../../domain/ports/token-service.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { invalidCredentials } from '../../domain/session/session-errors.js';
import type { User } from '../../domain/user/user.js';
import type { StartSession } from '../sessions/start-session.js';

export interface LoginResult {
  user: User;
  access: IssuedToken;
  refreshToken: string;
}

/**
 * Checks a password and opens a session. An unknown email costs one hash comparison against a
 * dummy hash, so response time does not reveal whether the account exists. The attempt is paid for
 * first, before anything is looked up: during a lockout even the right password is refused, and a
 * burst sent at once gets no more password checks than the limit. A right password gets it back.
 */
export class Login {
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly sessions: StartSession,
    private readonly throttle: LoginThrottle,
  ) {}

  async execute(input: { email: string; password: string; client?: string }): Promise<LoginResult> {
    const attempt = { account: input.email.trim().toLowerCase(), client: input.client ?? 'unknown' };
    await this.throttle.consume(attempt);
    const user = await this.users.findByEmail(attempt.account);
    const hash = user?.passwordHash ?? (await this.dummy());
    const matches = await this.hasher.verify(input.password.normalize('NFKC'), hash);
    if (!user || !matches) throw invalidCredentials();
    await this.throttle.recordSuccess(attempt);
    const session = await this.sessions.execute(user.id);
    const access = await this.tokens.issueAccessToken(user, session.familyId);
    return { user, access, refreshToken: session.refreshToken };
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
