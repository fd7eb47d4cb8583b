import { MikroORM } from '@mikro-orm/core';
import type { HealthCheck } from '../../../domain/ports/health-check.js';
import { translateDbError } from './db-errors.js';
import { mikroOrmOptions, type DbSettings, type OrmOptions } from './orm-options.js';

/** Opens the pool (lazily: an unreachable database fails the first query, not the boot). */
export async function openOrm(db: DbSettings, opts: OrmOptions = {}): Promise<MikroORM> {
  return MikroORM.init(await mikroOrmOptions(db, opts));
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
  const migrator = orm.getMigrator();
  const ran = direction === 'up' ? await migrator.up() : await migrator.down();
  return ran.map((m) => m.name);
}

/** Writes a new migration for the schema changes since the last one; null when there are none. */
export async function createMigration(orm: MikroORM, name?: string): Promise<string | null> {
  const result = await orm.getMigrator().createMigration(undefined, false, false, name);
  return result.fileName || null;
}
