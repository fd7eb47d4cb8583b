import type { MikroORM } from '@mikro-orm/core';
import { migrate, openOrm } from '../../src/adapters/persistence/mikro-orm/open-orm.js';
import type { Config } from '../../src/infrastructure/config.js';
import { createTestDatabase, requirePostgres } from './postgres.js';
import { createTestSqliteFile } from './sqlite.js';

export type SqlDialect = 'SQLite' | 'PostgreSQL';

type Open = (ctx: Mocha.Context) => Promise<{ db: Config['db']; dispose(): Promise<void> }>;

const DIALECTS: Array<[SqlDialect, Open]> = [
  [
    'SQLite',
    async () => {
      const file = await createTestSqliteFile();
      return { db: file.db, dispose: file.remove };
    },
  ],
  [
    'PostgreSQL',
    async (ctx) => {
      await requirePostgres(ctx);
      const database = await createTestDatabase();
      return { db: database.db, dispose: database.drop };
    },
  ],
];

/**
 * Declares `suite` once per SQL dialect the MikroORM adapters run on, each inside a `describe` of
 * the dialect's name with one migrated database of its own for the whole block: a SQLite file, and
 * a PostgreSQL database (skipped with the reason printed, or failing under CI, when the server is
 * unreachable). `orm()` is that block's ORM once its `before` has run.
 */
export function forEachSqlDialect(suite: (dialect: SqlDialect, orm: () => MikroORM) => void): void {
  for (const [dialect, open] of DIALECTS) {
    describe(dialect, function () {
      let orm: MikroORM | undefined;
      let dispose = async () => {};

      before(async function () {
        const opened = await open(this);
        dispose = opened.dispose;
        orm = await openOrm(opened.db);
        await migrate(orm, 'up');
      });

      after(async () => {
        await orm?.close(true);
        await dispose();
      });

      suite(dialect, () => {
        if (!orm) throw new Error(`the ${dialect} ORM is used before its before() hook ran`);
        return orm;
      });
    });
  }
}

/** Deletes every row of the tables named, in that order (referencing tables first). */
export async function emptyTables(orm: MikroORM, ...tables: string[]): Promise<void> {
  const connection = orm.em.fork().getConnection();
  for (const table of tables) await connection.execute(`delete from "${table}"`);
}
