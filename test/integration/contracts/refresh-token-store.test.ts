import type { MikroORM } from '@mikro-orm/core';
import { v7 } from 'uuid';
import { InMemoryRefreshTokenStore } from '../../../src/adapters/persistence/in-memory/in-memory-refresh-token-store.js';
import { MikroOrmRefreshTokenStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-refresh-token-store.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { migrate, openOrm } from '../../../src/adapters/persistence/mikro-orm/open-orm.js';
import type { Config } from '../../../src/infrastructure/config.js';
import { aUser } from '../../support/builders.js';
import { createTestDatabase, requirePostgres } from '../../support/postgres.js';
import { createTestSqliteFile } from '../../support/sqlite.js';
import { refreshTokenStoreContract } from './refresh-token-store.contract.js';

refreshTokenStoreContract('in memory', async () => ({
  store: new InMemoryRefreshTokenStore(),
  newUserId: async () => v7(),
  cleanup: async () => {},
}));

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

    refreshTokenStoreContract(dialect, async () => ({
      store: new MikroOrmRefreshTokenStore(orm!),
      newUserId: async () => {
        const user = aUser();
        await new MikroOrmUserStore(orm!).create(user);
        return user.id;
      },
      cleanup: async () => {
        const connection = orm!.em.fork().getConnection();
        await connection.execute('delete from refresh_tokens');
        await connection.execute('delete from users');
      },
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
