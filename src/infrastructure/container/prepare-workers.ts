import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { buildContainer, closeContainer } from './build-container.js';
import { TOKENS as T } from './tokens.js';

/**
 * What N workers booting at once must not race on, done once by the cluster primary before it forks
 * them, through the same composition root: pending migrations and (outside production) the
 * development signing key. Returns the environment overrides the workers start with.
 */
export async function prepareForWorkers(config: Config, logger: Logger): Promise<Record<string, string>> {
  const driver = config.db.driver;
  const migrates = config.db.migrateOnStart && (driver === 'sqlite' || driver === 'postgres');
  // A migration may rightly run longer than any one request's statement may.
  const container = await buildContainer({ ...config, db: { ...config.db, queryTimeoutMs: 0 } }, logger);
  try {
    await container.getAsync(T.SigningKeyPem);
    // Opening the SQL database applies the pending migrations (DB_MIGRATE_ON_START).
    if (migrates) await container.getAsync(T.Orm);
  } finally {
    await closeContainer(container);
  }
  return migrates ? { DB_MIGRATE_ON_START: 'false' } : {};
}
