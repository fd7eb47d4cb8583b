import { ConfigError, parseConfig, parseSecretSettings, readEnv, type Config } from './config.js';
import type { SecretStore } from '../domain/ports/secret-store.js';
import { openSecretStore, type SecretsCache } from './container/open-secret-store.js';

export interface LoadedConfig {
  config: Config;
  /** Hand it to startServer so changed secrets (the signing key) are picked up while running. */
  secrets: SecretsCache;
}

type Log = Parameters<typeof openSecretStore>[2];

/** The settings that decide which secrets are required, from the tree merged over the environment. */
export type SecretNeeds = Partial<Record<'DB_DRIVER' | 'MAIL_DRIVER' | 'SMTP_HOST' | 'OIDC_PROVIDERS', string>>;

/**
 * Names that must exist in the stage's SSM tree, or the boot stops. The database ones only matter
 * for PostgreSQL; STRIPE_KEY is in every stage tree and billing needs it, so it is required too.
 * With MAIL_DRIVER=smtp, the server's secret: SMTP_PASSWORD when it is given by its parts
 * (SMTP_HOST), else SMTP_URL. Each OpenID provider listed in OIDC_PROVIDERS: its client secret.
 */
export function requiredSecretNames({
  DB_DRIVER: db,
  MAIL_DRIVER: mail,
  SMTP_HOST: smtpHost,
  OIDC_PROVIDERS: oidc,
}: SecretNeeds): string[] {
  const database = db === 'postgres' ? ['DB_HOST', 'DB_USER', 'DB_PASSWORD'] : db === 'mongo' ? ['MONGO_URL'] : [];
  const smtp = mail === 'smtp' ? [smtpHost ? 'SMTP_PASSWORD' : 'SMTP_URL'] : [];
  const providers = (oidc ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => `OIDC_${name.toUpperCase()}_CLIENT_SECRET`);
  return [...database, 'JWT_PRIVATE_KEY', 'STRIPE_KEY', ...smtp, ...providers];
}

/** env -> where secrets live -> (with SSM) the stage tree merged over env -> a checked Config. */
export async function loadConfig(log: Log, env: Record<string, string | undefined> = readEnv()): Promise<LoadedConfig> {
  const settings = parseSecretSettings(env);
  const secrets = await openSecretStore(settings, env, log);
  const config =
    settings.source === 'env' ? parseConfig(env) : await configFromStageTree(env, secrets, settings.prefix);
  return { config, secrets };
}

/**
 * The stage tree wins over env for the names it has. Every problem (missing required parameters,
 * bad values) is reported at once, by name; no value is ever part of a message.
 */
export async function configFromStageTree(
  env: Record<string, string | undefined>,
  store: SecretStore,
  prefix: string,
): Promise<Config> {
  const tree = await store.load().catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : 'unknown error';
    const names = requiredSecretNames(env).join(', ');
    throw new ConfigError([`secrets: ${reason}; so these required parameters could not be read: ${names}`]);
  });
  const merged = { ...env, ...tree };
  const missing = requiredSecretNames(merged)
    .filter((name) => !tree[name])
    .map((name) => `${name}: required parameter missing from SSM under ${prefix}`);
  const { config, problems } = tryParse(merged);
  if (!config || missing.length > 0) throw new ConfigError([...missing, ...problems]);
  return config;
}

function tryParse(source: Record<string, string | undefined>): { config?: Config; problems: string[] } {
  try {
    return { config: parseConfig(source), problems: [] };
  } catch (error) {
    if (error instanceof ConfigError) return { problems: error.problems };
    throw error;
  }
}
