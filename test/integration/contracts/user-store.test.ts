import { InMemoryUserStore } from '../../../src/adapters/persistence/in-memory/in-memory-user-store.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { emptyTables, forEachSqlDialect } from '../../support/sql.js';
import { userStoreContract } from './user-store.contract.js';

userStoreContract('in memory', async () => ({ store: new InMemoryUserStore(), cleanup: async () => {} }));

// One migrated database per dialect for the whole suite; every test starts from an empty table.
forEachSqlDialect((dialect, orm) => {
  userStoreContract(dialect, async () => ({
    store: new MikroOrmUserStore(orm()),
    cleanup: () => emptyTables(orm(), 'users'),
  }));
});
