import { mfaInvalid } from '../../domain/account/account-errors.js';
import type { LoginThrottle } from '../../domain/ports/login-throttle.js';
import type { TokenService } from '../../domain/ports/token-service.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { hasTotp } from '../../domain/user/user.js';
import { openSession, type LoginResult } from '../auth/login.js';
import type { StartSession } from '../sessions/start-session.js';
import type { AccountTokens } from './account-tokens.js';
import type { SecondFactor, SecondFactorProof } from './second-factor.js';

/**
 * The second step of a login with TOTP: the challenge from the first step and a code (or a
 * recovery code) open the session, with `amr: ["pwd", "otp"]`. Every attempt is paid for first,
 * per user and per client, so six digits cannot be walked through; a wrong code leaves the
 * challenge usable until it expires, a right one spends it.
 */
export class VerifyMfa {
  constructor(
    private readonly tokens: AccountTokens,
    private readonly users: UserStore,
    private readonly factor: SecondFactor,
    private readonly throttle: LoginThrottle,
    private readonly sessions: StartSession,
    private readonly accessTokens: TokenService,
  ) {}

  async execute(input: { challenge: string; client?: string } & SecondFactorProof): Promise<LoginResult> {
    const challenge = await this.tokens.find(input.challenge, 'mfa-challenge');
    if (!challenge) throw mfaInvalid();
    const attempt = { account: challenge.userId, client: input.client ?? 'unknown' };
    await this.throttle.consume(attempt);
    const user = await this.users.findById(challenge.userId);
    if (!user || !hasTotp(user)) throw mfaInvalid();
    const proof: SecondFactorProof =
      'recoveryCode' in input ? { recoveryCode: input.recoveryCode } : { code: input.code };
    if (!(await this.factor.check(user, proof))) throw mfaInvalid();
    if (!(await this.tokens.consume(challenge))) throw mfaInvalid();
    await this.throttle.recordSuccess(attempt);
    return openSession(this.sessions, this.accessTokens, user, ['pwd', 'otp']);
  }
}
