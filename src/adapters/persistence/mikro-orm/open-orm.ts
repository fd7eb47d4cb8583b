import { MikroORM } from '@mikro-orm/core';
import type { HealthCheck } from '../../../domain/ports/health-check.js';
import { translateDbError } from './db-errors.js';
import { mikroOrmOptions, type DbSettings, type OrmOptions } from './orm-options.js';
import { usePreparedStatements } from './sql-statements.js';

/** Opens the pool (lazily: an unreachable database fails the first query, not the boot). */
export async function openOrm(db: DbSettings, opts: OrmOptions = {}): Promise<MikroORM> {
  const orm = await MikroORM.init(await mikroOrmOptions(db, opts));
  usePreparedStatements(orm, db.preparedStatements ?? true);
  return orm;
}

/** Readiness: one round trip through the pool, bounded by the pool's acquire timeout. */
export function databaseHealthCheck(orm: MikroORM): HealthCheck {
  return {
    name: 'database',
    check: () => translateDbError(async () => void (await orm.em.fork().getConnection().execute('select 1'))),
  };
}

/**
 * `up` applies every pending migration (a no-op when there are none); `down` reverts the latest
 * one only. Returns the names of the migrations that ran.
 */
export async function migrate(orm: MikroORM, direction: 'up' | 'down'): Promise<string[]> {
  const migrator = await migratorOf(orm);
  const ran = direction === 'up' ? await migrator.up() : await migrator.down();
  return ran.map((m) => m.name);
}

/** Writes a new migration for the schema changes since the last one; null when there are none. */
export async function createMigration(orm: MikroORM, name?: string): Promise<string | null> {
  const result = await (await migratorOf(orm)).createMigration(undefined, false, false, name);
  return result.fileName || null;
}

/**
 * The migrator is loaded when something migrates, not by every boot: it brings umzug and its
 * command-line dependencies (about 1 MiB of code) that a server started without
 * DB_MIGRATE_ON_START never runs.
 */
async function migratorOf(orm: MikroORM) {
  const { Migrator } = await import('@mikro-orm/migrations');
  if (!orm.config.getExtension('@mikro-orm/migrator')) Migrator.register(orm);
  return orm.migrator;
}
