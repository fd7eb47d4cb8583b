import { migrate, openOrm } from '../../adapters/persistence/mikro-orm/open-orm.js';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { devSigningKeyPem } from '../dev-signing-key.js';

/**
 * What N workers booting at once must not race on, done once by the cluster primary before it forks
 * them: pending migrations and (outside production) the development signing key. Returns the
 * environment overrides the workers start with.
 */
export async function prepareForWorkers(config: Config, logger: Logger): Promise<Record<string, string>> {
  if (!config.jwt.privateKey) await devSigningKeyPem(config.dataDir);
  const driver = config.db.driver;
  if (!config.db.migrateOnStart || (driver !== 'sqlite' && driver !== 'postgres')) return {};
  // A migration may rightly run longer than any one request's statement may.
  const orm = await openOrm({ ...config.db, queryTimeoutMs: 0 }, { log: logger });
  try {
    await migrate(orm, 'up');
  } finally {
    await orm.close(true);
  }
  return { DB_MIGRATE_ON_START: 'false' };
}
