import { v7 } from 'uuid';
import { InMemoryRefreshTokenStore } from '../../../src/adapters/persistence/in-memory/in-memory-refresh-token-store.js';
import { MikroOrmRefreshTokenStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-refresh-token-store.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { aUserIn } from '../../support/builders.js';
import { emptyTables, forEachSqlDialect } from '../../support/sql.js';
import { refreshTokenStoreContract } from './refresh-token-store.contract.js';

refreshTokenStoreContract('in memory', async () => ({
  store: new InMemoryRefreshTokenStore(),
  newUserId: async () => v7(),
  cleanup: async () => {},
}));

forEachSqlDialect((dialect, orm) => {
  refreshTokenStoreContract(dialect, async () => ({
    store: new MikroOrmRefreshTokenStore(orm()),
    newUserId: async () => (await aUserIn(new MikroOrmUserStore(orm()))).id,
    cleanup: () => emptyTables(orm(), 'refresh_tokens', 'users'),
  }));
});
