import { tokenInvalid } from '../../domain/account/account-errors.js';
import type { TokenService } from '../../domain/ports/token-service.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { accountDisabled } from '../../domain/session/session-errors.js';
import { signInRefusal } from '../../domain/user/user.js';
import type { AccountTokens } from '../accounts/account-tokens.js';
import { openSession, type LoginResult } from '../auth/login.js';
import type { StartSession } from '../sessions/start-session.js';

/**
 * The app's side of an OpenID sign-in: the one-time code from the callback's redirect, spent once,
 * opens a session with `amr: ["fed"]`. A second factor enrolled here is not asked: the provider
 * authenticated the person (docs/accounts.md). Unknown, used and expired codes are one answer.
 */
export class ExchangeOidcCode {
  constructor(
    private readonly tokens: AccountTokens,
    private readonly users: UserStore,
    private readonly sessions: StartSession,
    private readonly accessTokens: TokenService,
  ) {}

  async execute(input: { code: string }): Promise<LoginResult> {
    const token = await this.tokens.find(input.code, 'oidc-exchange');
    if (!token || !(await this.tokens.consume(token))) throw tokenInvalid('code');
    const user = await this.users.findById(token.userId);
    if (!user || signInRefusal(user) === 'deleted') throw tokenInvalid('code');
    if (signInRefusal(user) === 'disabled') throw accountDisabled();
    return openSession(this.sessions, this.accessTokens, user, ['fed']);
  }
}
