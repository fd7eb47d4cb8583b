import { emailUnverified } from '../../domain/account/account-errors.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { LoginThrottle } from '../../domain/ports/login-throttle.js';
import type { PasskeyCeremonies, VerifiedSignIn, WebAuthnOptions } from '../../domain/ports/passkey-ceremonies.js';
import type { PasskeyStore } from '../../domain/ports/passkey-store.js';
import type { TokenService } from '../../domain/ports/token-service.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { passkeyInvalid } from '../../domain/passkey/passkey-errors.js';
import type { AuthMethod } from '../../domain/session/refresh-token.js';
import { accountDisabled } from '../../domain/session/session-errors.js';
import { hasTotp, signInRefusal, type User } from '../../domain/user/user.js';
import type { AccountSettings } from '../accounts/account-settings.js';
import { openSession, type LoginResult } from '../auth/login.js';
import type { StartSession } from '../sessions/start-session.js';
import type { PasskeyChallenges } from './passkey-challenges.js';

/**
 * RFC 8176: a synced (multi-device, backed-up) passkey is a software-secured key (`swk`), one that
 * never leaves its authenticator a hardware-bound one (`hwk`); every assertion tested the user's
 * presence (`user`), and one whose authenticator verified the user (PIN, biometrics) is multi-factor.
 */
export function passkeyAmr(verified: Pick<VerifiedSignIn, 'deviceType' | 'backedUp' | 'userVerified'>): AuthMethod[] {
  const key: AuthMethod = verified.deviceType === 'multiDevice' || verified.backedUp ? 'swk' : 'hwk';
  return verified.userVerified ? [key, 'user', 'mfa'] : [key, 'user'];
}

/** Sign-in ceremonies started per client address count as login attempts; a sign-in gives its attempt back. */
const attemptOf = (client: string | undefined) => ({ account: client ?? 'unknown', client: client ?? 'unknown' });

/** The first step of a passkey sign-in: request options for any discoverable credential (no email asked). */
export class StartPasskeySignIn {
  constructor(
    private readonly challenges: PasskeyChallenges,
    private readonly ceremonies: PasskeyCeremonies,
    private readonly throttle: LoginThrottle,
  ) {}

  async execute(input: { client?: string }): Promise<WebAuthnOptions> {
    await this.throttle.consume(attemptOf(input.client));
    return this.ceremonies.signInOptions(await this.challenges.issue('authentication', null));
  }
}

/**
 * The second step: the browser's assertion, for a live sign-in challenge, signed by a registered
 * passkey whose counter has not gone backwards, opens a session. An unknown credential, a user who
 * is gone and every failed check get one answer (AUTH.PASSKEY_INVALID); a disabled user, once the
 * passkey checked out, AUTH.ACCOUNT_DISABLED. TOTP is not asked: a user-verified passkey is itself
 * two factors; for a user with TOTP on, an assertion without user verification is refused instead.
 */
export class FinishPasskeySignIn {
  constructor(
    private readonly challenges: PasskeyChallenges,
    private readonly ceremonies: PasskeyCeremonies,
    private readonly passkeys: PasskeyStore,
    private readonly users: UserStore,
    private readonly throttle: LoginThrottle,
    private readonly sessions: StartSession,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly settings: Pick<AccountSettings, 'requireVerifiedEmail'>,
  ) {}

  async execute(input: { response: unknown; credentialId: string; client?: string }): Promise<LoginResult> {
    const challenge = await this.challenges.take(input.response, 'authentication', null);
    const passkey = await this.passkeys.findById(input.credentialId);
    if (!passkey) throw passkeyInvalid();
    const handle = this.ceremonies.userHandleOf(input.response);
    if (handle !== null && handle !== passkey.userId) throw passkeyInvalid();
    const verified = await this.ceremonies.verifySignIn(input.response, challenge, passkey);
    const user = await this.signInUser(passkey.userId, verified);
    const use = { previousCounter: passkey.counter, counter: verified.counter, backedUp: verified.backedUp };
    if (!(await this.passkeys.recordUse(passkey.id, { ...use, usedAt: this.clock.now() }))) throw passkeyInvalid();
    await this.throttle.recordSuccess(attemptOf(input.client));
    return openSession(this.sessions, this.tokens, user, passkeyAmr(verified));
  }

  private async signInUser(userId: string, verified: VerifiedSignIn): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user || signInRefusal(user) === 'deleted') throw passkeyInvalid();
    if (signInRefusal(user) === 'disabled') throw accountDisabled();
    if (this.settings.requireVerifiedEmail && !user.emailVerifiedAt) throw emailUnverified();
    if (hasTotp(user) && !verified.userVerified) throw passkeyInvalid();
    return user;
  }
}
