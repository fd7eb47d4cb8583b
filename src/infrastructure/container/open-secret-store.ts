import { CachedSecretStore, type SecretsLog } from '../../adapters/secrets/cached-secret-store.js';
import { EnvSecretStore } from '../../adapters/secrets/env-secret-store.js';
import { SystemClock } from '../../adapters/system/system-clock.js';
import type { SecretStore } from '../../domain/ports/secret-store.js';
import type { SecretSettings } from '../config.js';

export type SecretsCache = CachedSecretStore;

/** The configured secret source behind a TTL cache; boot reads it once, the auth module keeps it fresh. */
export async function openSecretStore(
  settings: SecretSettings,
  env: Record<string, string | undefined>,
  log: SecretsLog,
): Promise<SecretsCache> {
  return new CachedSecretStore(await secretSource(settings, env), {
    ttlSeconds: settings.ttlSeconds,
    clock: new SystemClock(),
    log,
  });
}

/** One exhaustive switch over SECRETS_SOURCE. The SSM client (several MiB) loads only when chosen. */
export async function secretSource(
  settings: SecretSettings,
  env: Record<string, string | undefined>,
): Promise<SecretStore> {
  const source = settings.source;
  switch (source) {
    case 'env':
      return new EnvSecretStore(env);
    case 'ssm': {
      const { createSsmClient, SsmSecretStore } = await import('../../adapters/secrets/ssm-secret-store.js');
      return new SsmSecretStore(createSsmClient({ region: settings.region }), settings.prefix);
    }
    default: {
      const unreachable: never = source;
      throw new Error(`unknown SECRETS_SOURCE ${String(unreachable)}`);
    }
  }
}
