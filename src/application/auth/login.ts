import { emailUnverified, mfaRequired } from '../../domain/account/account-errors.js';
import type { LoginThrottle } from '../../domain/ports/login-throttle.js';
import type { PasswordHasher } from '../../domain/ports/password-hasher.js';
import type { IssuedToken, TokenService } from '../../domain/ports/token-service.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import type { AuthMethod } from '../../domain/session/refresh-token.js';
import { accountDisabled, invalidCredentials } from '../../domain/session/session-errors.js';
import { hasTotp, signInRefusal, type User } from '../../domain/user/user.js';
import type { AccountSettings } from '../accounts/account-settings.js';
import type { AccountTokens } from '../accounts/account-tokens.js';
import type { StartSession } from '../sessions/start-session.js';

export interface LoginResult {
  user: User;
  access: IssuedToken;
  refreshToken: string;
}

/**
 * Opens a session for a user whose login is proven, its tokens carrying how (`amr`). StartSession
 * reads the user again once the session is stored, so a user disabled or deleted while they were
 * proving it (between the password and the second factor, say) gets no session.
 */
export async function openSession(
  sessions: StartSession,
  tokens: TokenService,
  user: User,
  amr: AuthMethod[],
): Promise<LoginResult> {
  const session = await sessions.execute(user.id, amr);
  const access = await tokens.issueAccessToken(user, session.familyId, amr);
  return { user, access, refreshToken: session.refreshToken };
}

/**
 * Checks a password and opens a session. An unknown email costs one hash comparison against a
 * dummy hash, so response time does not reveal whether the account exists. The attempt is paid for
 * first, before anything is looked up: during a lockout even the right password is refused, and a
 * burst sent at once gets no more password checks than the limit. A right password gets it back.
 *
 * Only once the password is right: an unverified email is refused when the settings require it
 * (403), and a user with TOTP gets a short-lived challenge (401 AUTH.MFA_REQUIRED) that
 * POST /v1/auth/mfa/verify completes, instead of tokens.
 */
export class Login {
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly sessions: StartSession,
    private readonly throttle: LoginThrottle,
    private readonly accountTokens: AccountTokens,
    private readonly settings: Pick<AccountSettings, 'requireVerifiedEmail' | 'ttlSeconds'>,
  ) {}

  async execute(input: { email: string; password: string; client?: string }): Promise<LoginResult> {
    const attempt = { account: input.email.trim().toLowerCase(), client: input.client ?? 'unknown' };
    await this.throttle.consume(attempt);
    const user = await this.users.findByEmail(attempt.account);
    const hash = user?.passwordHash ?? (await this.dummy());
    const matches = await this.hasher.verify(input.password.normalize('NFKC'), hash);
    if (!user || !matches) throw invalidCredentials();
    await this.throttle.recordSuccess(attempt);
    if (signInRefusal(user) === 'disabled') throw accountDisabled();
    if (this.settings.requireVerifiedEmail && !user.emailVerifiedAt) throw emailUnverified();
    if (hasTotp(user)) {
      const challenge = await this.accountTokens.issue({
        userId: user.id,
        purpose: 'mfa-challenge',
        ttlSeconds: this.settings.ttlSeconds.mfaChallenge,
      });
      throw mfaRequired(challenge);
    }
    return openSession(this.sessions, this.tokens, user, ['pwd']);
  }

  /** Warms the dummy hash so the first unknown-email login is not slower than the rest. */
  warmUp(): Promise<string> {
    return this.dummy();
  }

  private dummy(): Promise<string> {
    // A failed hash is not kept: the next unknown-email login tries again.
    this.dummyHash ??= this.hasher.hash('dummy-password-that-never-matches').catch((error: unknown) => {
      this.dummyHash = undefined;
      throw error;
    });
    return this.dummyHash;
  }
}
