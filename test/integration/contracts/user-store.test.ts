import type { MikroORM } from '@mikro-orm/core';
import { InMemoryUserStore } from '../../../src/adapters/persistence/in-memory/in-memory-user-store.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { migrate, openOrm } from '../../../src/adapters/persistence/mikro-orm/open-orm.js';
import type { Config } from '../../../src/infrastructure/config.js';
import { createTestDatabase, requirePostgres } from '../../support/postgres.js';
import { createTestSqliteFile } from '../../support/sqlite.js';
import { userStoreContract } from './user-store.contract.js';

userStoreContract('in memory', async () => ({ store: new InMemoryUserStore(), cleanup: async () => {} }));

/** One migrated database per dialect for the whole suite; every test starts from an empty table. */
function sqlSuite(dialect: string, open: (ctx: Mocha.Context) => Promise<{ db: Config['db']; dispose(): Promise<void> }>) {
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

    userStoreContract(dialect, async () => ({
      store: new MikroOrmUserStore(orm!),
      cleanup: async () => void (await orm!.em.fork().getConnection().execute('delete from users')),
    }));
  });
}

sqlSuite('SQLite', async () => {
  const file = await createTestSqliteFile();
  return { db: file.db, dispose: file.remove };
});

sqlSuite('PostgreSQL', async (ctx) => {
  await requirePostgres(ctx);
  const database = await createTestDatabase();
  return { db: database.db, dispose: database.drop };
});
