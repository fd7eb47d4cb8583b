import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { BcryptPasswordHasher } from '../../adapters/auth/bcrypt-password-hasher.js';
import { JoseTokenService } from '../../adapters/auth/jose-token-service.js';
import { KeyRing } from '../../adapters/auth/key-ring.js';
import { authRoutes } from '../../adapters/http/routes/auth.js';
import type { CachedSecretStore } from '../../adapters/secrets/cached-secret-store.js';
import { AccountTokens } from '../../application/accounts/account-tokens.js';
import { Authenticate } from '../../application/auth/authenticate.js';
import { ChangePassword } from '../../application/auth/change-password.js';
import { EnsureAdmin } from '../../application/auth/ensure-admin.js';
import { Login } from '../../application/auth/login.js';
import { RevokeUserSessions } from '../../application/sessions/revoke-user-sessions.js';
import { StartSession } from '../../application/sessions/start-session.js';
import { GetUser } from '../../application/users/get-user.js';
import { RegisterUser } from '../../application/users/register-user.js';
import type { Config } from '../config.js';
import { devSigningKeyPem } from '../dev-signing-key.js';
import { TOKENS as T, type BackgroundJob } from './tokens.js';

/** Margin for clocks that disagree between the instances that sign and those that verify. */
const CLOCK_SKEW_S = 60;

/**
 * Signing keys, password hashing, login and authentication, and the /v1/auth routes. With `secrets`
 * (the store the config came from), a changed JWT_PRIVATE_KEY rotates the signing key without a restart.
 */
export function authModule(config: Config, logger: Logger, secrets?: CachedSecretStore): ContainerModule {
  // Another instance may sign with the old key until its own refresh (one secrets TTL later).
  const retireAfterSeconds = config.jwt.accessTtlSeconds + config.secrets.ttlSeconds + CLOCK_SKEW_S;
  const { issuer, audience, accessTtlSeconds } = config.jwt;
  return new ContainerModule(({ bind }) => {
    bind(T.SigningKeyPem).toResolvedValue(async () => config.jwt.privateKey ?? devSigningKeyPem(config.dataDir));
    bind(KeyRing).toResolvedValue(
      (pem, clock) => KeyRing.fromPem(pem, { clock, retireAfterSeconds }),
      [T.SigningKeyPem, T.Clock],
    );
    bind(T.PasswordHasher).toResolvedValue(() => new BcryptPasswordHasher(config.bcryptCost, config.bcryptConcurrency));
    bind(T.TokenService).toResolvedValue(
      (ring, clock) => new JoseTokenService({ keys: ring.keys, issuer, audience, accessTtlSeconds, clock }),
      [KeyRing, T.Clock],
    );
    bind(Login).toResolvedValue(
      (...a) => new Login(...a, config.accounts),
      [T.UserStore, T.PasswordHasher, T.TokenService, StartSession, T.LoginThrottle, AccountTokens],
    );
    bind(Authenticate).toResolvedValue((...a) => new Authenticate(...a), [T.TokenService, T.ActiveUsers]);
    bind(ChangePassword).toResolvedValue(
      (...a) => new ChangePassword(...a),
      [T.UserStore, T.PasswordHasher, T.Clock, RevokeUserSessions, AccountTokens, T.UnitOfWork],
    );
    bind(EnsureAdmin).toResolvedValue((...a) => new EnsureAdmin(...a), [T.UserStore, RegisterUser]);
    if (secrets) {
      bind(T.BackgroundJobs)
        .toResolvedValue((ring) => followSigningKey(secrets, ring, logger), [KeyRing])
        .onDeactivation((job) => job.stop());
    }
    bind(T.Routes).toResolvedValue(
      (registerUser, login, getUser, changePassword, tokens) => (api) =>
        authRoutes(api, { registerUser, login, getUser, changePassword, tokens }),
      [RegisterUser, Login, GetUser, ChangePassword, T.TokenService],
    );
  });
}

function followSigningKey(secrets: CachedSecretStore, ring: KeyRing, logger: Logger): BackgroundJob {
  secrets.onChange(async (values, changed) => {
    if (!changed.includes('JWT_PRIVATE_KEY')) return;
    const pem = values.JWT_PRIVATE_KEY;
    if (!pem) {
      logger.warn('JWT_PRIVATE_KEY disappeared from the secrets: still signing with the current key');
      return;
    }
    const previous = ring.currentKid;
    if (await ring.rotateTo(pem)) logger.info({ kid: ring.currentKid, previousKid: previous }, 'signing key rotated');
  });
  secrets.startRefreshing();
  return { stop: async () => secrets.stopRefreshing() };
}
