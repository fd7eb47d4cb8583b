import { ContainerModule, type ServiceIdentifier } from 'inversify';
import type { Logger } from 'pino';
import { SimpleWebAuthnCeremonies } from '../../adapters/auth/simple-webauthn-ceremonies.js';
import { passkeyRoutes } from '../../adapters/http/routes/passkeys.js';
import { ListPasskeys, RemovePasskey } from '../../application/passkeys/manage-passkeys.js';
import { PasskeyChallenges } from '../../application/passkeys/passkey-challenges.js';
import {
  FinishPasskeyRegistration,
  StartPasskeyRegistration,
} from '../../application/passkeys/passkey-registration.js';
import { FinishPasskeySignIn, StartPasskeySignIn } from '../../application/passkeys/passkey-sign-in.js';
import { StartSession } from '../../application/sessions/start-session.js';
import { DomainError } from '../../domain/errors.js';
import type { LoginThrottle } from '../../domain/ports/login-throttle.js';
import type { Config } from '../config.js';
import { bindPasskeyStores } from './passkey-stores.js';
import { repeatEvery } from './repeat-every.js';
import { bindThrottle } from './throttles.js';
import { TOKENS as T } from './tokens.js';

/** Passkey sign-ins started per client address (LOGIN_MAX_FAILURES_PER_CLIENT in LOGIN_THROTTLE_WINDOW_S). */
const PasskeyThrottle = Symbol.for('portico.PasskeyThrottle') as ServiceIdentifier<LoginThrottle>;

const passkeyThrottled = (retryAfterSeconds: number) =>
  new DomainError('AUTH.THROTTLED', 'Too many passkey sign-ins; try again later.', undefined, retryAfterSeconds);

/** Challenges never answered are removed this often (they are refused anyway; this keeps the table small). */
const CHALLENGE_SWEEP_INTERVAL_MS = 10 * 60_000;

/**
 * Passkeys (WebAuthn): the stores on the configured database, the ceremonies for the relying party
 * from config (WEBAUTHN_*), the use cases, a sweep of expired challenges, and the routes
 * (docs/accounts.md#passkeys).
 */
export function passkeysModule(config: Config, logger: Logger): ContainerModule {
  const { webauthn } = config;
  const settings = { challengeTtlSeconds: webauthn.challengeTtlSeconds };
  return new ContainerModule(async ({ bind }) => {
    await bindPasskeyStores(bind, config.db.driver);
    bind(T.PasskeyCeremonies).toConstantValue(
      new SimpleWebAuthnCeremonies({
        id: webauthn.rpId,
        name: webauthn.rpName,
        origins: webauthn.origins,
        timeoutMs: webauthn.challengeTtlSeconds * 1000,
      }),
    );
    const { perClient, windowSeconds } = config.throttle;
    bindThrottle(
      bind,
      config,
      PasskeyThrottle,
      { perAccount: 0, perClient, windowSeconds },
      { name: 'passkey', refusal: passkeyThrottled },
    );
    bind(PasskeyChallenges).toResolvedValue(
      (...a) => new PasskeyChallenges(...a, settings),
      [T.PasskeyChallengeStore, T.PasskeyCeremonies, T.Clock],
    );
    bind(StartPasskeyRegistration).toResolvedValue(
      (...a) => new StartPasskeyRegistration(...a),
      [T.UserStore, T.PasskeyStore, PasskeyChallenges, T.PasskeyCeremonies],
    );
    bind(FinishPasskeyRegistration).toResolvedValue(
      (...a) => new FinishPasskeyRegistration(...a),
      [T.PasskeyStore, PasskeyChallenges, T.PasskeyCeremonies, T.Clock],
    );
    bind(StartPasskeySignIn).toResolvedValue(
      (...a) => new StartPasskeySignIn(...a),
      [PasskeyChallenges, T.PasskeyCeremonies, PasskeyThrottle],
    );
    bind(FinishPasskeySignIn).toResolvedValue(
      (...a) => new FinishPasskeySignIn(...a, config.accounts),
      [
        PasskeyChallenges,
        T.PasskeyCeremonies,
        T.PasskeyStore,
        T.UserStore,
        PasskeyThrottle,
        StartSession,
        T.TokenService,
        T.Clock,
      ],
    );
    bind(ListPasskeys).toResolvedValue((store) => new ListPasskeys(store), [T.PasskeyStore]);
    // T.LinkedIdentities: the OpenID Connect module's identity store (oidc-module.ts).
    bind(RemovePasskey).toResolvedValue(
      (...a) => new RemovePasskey(...a),
      [T.PasskeyStore, T.UserStore, T.LinkedIdentities],
    );
    bind(T.BackgroundJobs)
      .toResolvedValue(
        (challenges: PasskeyChallenges) =>
          repeatEvery(
            CHALLENGE_SWEEP_INTERVAL_MS,
            async () => {
              const removed = await challenges.deleteExpired();
              if (removed > 0) logger.info({ removed }, 'passkey challenges: expired ones removed');
            },
            (error) => logger.error({ err: error }, 'passkey challenge sweep failed'),
          ),
        [PasskeyChallenges],
      )
      .onDeactivation((job) => job.stop());
    bind(T.Routes).toResolvedValue(
      (...[startRegistration, finishRegistration, startSignIn, finishSignIn, listPasskeys, removePasskey]) =>
        (api) =>
          passkeyRoutes(api, {
            startRegistration,
            finishRegistration,
            startSignIn,
            finishSignIn,
            listPasskeys,
            removePasskey,
          }),
      [
        StartPasskeyRegistration,
        FinishPasskeyRegistration,
        StartPasskeySignIn,
        FinishPasskeySignIn,
        ListPasskeys,
        RemovePasskey,
      ],
    );
  });
}
