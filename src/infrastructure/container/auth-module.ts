import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { BcryptPasswordHasher } from '../../adapters/auth/bcrypt-password-hasher.js';
import { JoseTokenService } from '../../adapters/auth/jose-token-service.js';
import { KeyRing } from '../../adapters/auth/key-ring.js';
import type { CachedSecretStore } from '../../adapters/secrets/cached-secret-store.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { Config } from '../config.js';
import { devSigningKeyPem } from '../dev-signing-key.js';
import { TOKENS } from '../tokens.js';
import type { Resources } from './resources.js';

/** Margin for clocks that disagree between the instances that sign and those that verify. */
const CLOCK_SKEW_S = 60;

export interface AuthModuleDeps {
  clock: Clock;
  logger: Logger;
  resources: Resources;
  /** When present, a changed JWT_PRIVATE_KEY rotates the signing key without a restart. */
  secrets?: CachedSecretStore;
}

export async function authModule(config: Config, deps: AuthModuleDeps): Promise<ContainerModule> {
  const pem = config.jwt.privateKey ?? (await devSigningKeyPem(config.dataDir));
  // Another instance may sign with the old key until its own refresh (one secrets TTL later).
  const retireAfterSeconds = config.jwt.accessTtlSeconds + config.secrets.ttlSeconds + CLOCK_SKEW_S;
  const ring = await KeyRing.fromPem(pem, { clock: deps.clock, retireAfterSeconds });
  if (deps.secrets) followSigningKey(deps.secrets, ring, deps);
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.PasswordHasher).toConstantValue(new BcryptPasswordHasher(config.bcryptCost, config.bcryptConcurrency));
    bind(TOKENS.TokenService).toConstantValue(
      new JoseTokenService({
        keys: ring.keys,
        issuer: config.jwt.issuer,
        audience: config.jwt.audience,
        accessTtlSeconds: config.jwt.accessTtlSeconds,
        clock: deps.clock,
      }),
    );
  });
}

function followSigningKey(secrets: CachedSecretStore, ring: KeyRing, { logger, resources }: AuthModuleDeps): void {
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
  resources.onClose(async () => secrets.stopRefreshing());
}
