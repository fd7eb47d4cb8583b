import type { MikroORM } from '@mikro-orm/core';
import { migrate, openOrm } from '../../src/adapters/persistence/mikro-orm/open-orm.js';
import type { Config } from '../../src/infrastructure/config.js';
import { createTestDatabase, requirePgBouncer, requirePostgres, viaPgBouncer } from './postgres.js';
import { createTestSqliteFile } from './sqlite.js';
import { useOrm } from './use-orm.js';

export type SqlDialect = 'SQLite' | 'PostgreSQL' | 'PostgreSQL via PgBouncer';

type Open = (ctx: Mocha.Context) => Promise<{ db: Config['db']; drop(): Promise<void> }>;

const postgresDatabase: Open = async (ctx) => {
  await requirePostgres(ctx);
  return createTestDatabase();
};

const DIALECTS: Array<[SqlDialect, Open]> = [
  [
    'SQLite',
    async () => {
      const file = await createTestSqliteFile();
      return { db: file.db, drop: file.remove };
    },
  ],
  ['PostgreSQL', postgresDatabase],
  // The same server through PgBouncer in transaction mode, as the app runs behind it (BEHIND_PGBOUNCER).
  [
    'PostgreSQL via PgBouncer',
    async (ctx) => {
      await requirePostgres(ctx);
      const at = await requirePgBouncer(ctx);
      return viaPgBouncer(await createTestDatabase(), at);
    },
  ],
];

/**
 * Declares `suite` once per SQL dialect the MikroORM adapters run on, each inside a `describe` of
 * the dialect's name with one migrated database of its own for the whole block: a SQLite file, and
 * a PostgreSQL database, reached directly and through PgBouncer (skipped with the reason printed, or
 * failing under CI, when the server is unreachable). `orm()` is that block's ORM once its `before` has run.
 */
export function forEachSqlDialect(suite: (dialect: SqlDialect, orm: () => MikroORM) => void): void {
  for (const [dialect, open] of DIALECTS) {
    describe(dialect, function () {
      suite(
        dialect,
        useOrm(open, (database) => openMigrated(database.db)),
      );
    });
  }
}

async function openMigrated(db: Config['db']): Promise<MikroORM> {
  const orm = await openOrm(db);
  await migrate(orm, 'up');
  return orm;
}

/** Deletes every row of the tables named, in that order (referencing tables first). */
export async function emptyTables(orm: MikroORM, ...tables: string[]): Promise<void> {
  const connection = orm.em.fork().getConnection();
  for (const table of tables) await connection.execute(`delete from "${table}"`);
}

/**
 * For a describe block on PostgreSQL alone: the ORM on a migrated test database of its own, with `pool`
 * over the defaults (skipped, or failing under CI, without a server); see useOrm.
 */
export function useMigratedPostgres(pool: Partial<Config['db']['pool']> = {}): () => MikroORM {
  return useOrm(postgresDatabase, (database) =>
    openMigrated({ ...database.db, pool: { ...database.db.pool, ...pool } }),
  );
}
