import type { MikroORM } from '@mikro-orm/core';
import { InMemoryRefreshTokenStore } from '../../../src/adapters/persistence/in-memory/in-memory-refresh-token-store.js';
import { InMemoryUserStore } from '../../../src/adapters/persistence/in-memory/in-memory-user-store.js';
import { MikroOrmActiveUsers } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-active-users.js';
import { MikroOrmRefreshTokenStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-refresh-token-store.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { migrate, openOrm } from '../../../src/adapters/persistence/mikro-orm/open-orm.js';
import { activeUsersFromStores } from '../../../src/application/auth/active-users-from-stores.js';
import type { Config } from '../../../src/infrastructure/config.js';
import { createTestDatabase, requirePostgres } from '../../support/postgres.js';
import { createTestSqliteFile } from '../../support/sqlite.js';
import { activeUsersContract } from './active-users.contract.js';

activeUsersContract('in memory (from the two stores)', async () => {
  const users = new InMemoryUserStore();
  const sessions = new InMemoryRefreshTokenStore();
  return { lookup: activeUsersFromStores(users, sessions), users, sessions, cleanup: async () => {} };
});

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

    activeUsersContract(`${dialect} (one statement)`, async () => ({
      lookup: new MikroOrmActiveUsers(orm!),
      users: new MikroOrmUserStore(orm!),
      sessions: new MikroOrmRefreshTokenStore(orm!),
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
