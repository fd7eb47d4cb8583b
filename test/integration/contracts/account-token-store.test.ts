import { expect } from 'chai';
import { v7 } from 'uuid';
import { InMemoryAccountTokenStore } from '../../../src/adapters/persistence/in-memory/in-memory-account-token-store.js';
import { MikroOrmAccountTokenStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-account-token-store.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { anAccountToken } from '../../support/account-tokens.js';
import { aUserIn } from '../../support/builders.js';
import { emptyTables, forEachSqlDialect } from '../../support/sql.js';
import { accountTokenStoreContract } from './account-token-store.contract.js';

accountTokenStoreContract('in memory', async () => ({
  store: new InMemoryAccountTokenStore(),
  newUserId: async () => v7(),
  cleanup: async () => {},
}));

forEachSqlDialect((dialect, orm) => {
  accountTokenStoreContract(dialect, async () => ({
    store: new MikroOrmAccountTokenStore(orm()),
    newUserId: async () => (await aUserIn(new MikroOrmUserStore(orm()))).id,
    cleanup: () => emptyTables(orm(), 'account_tokens', 'users'),
  }));

  describe(`account tokens of a deleted user on ${dialect}`, () => {
    afterEach(() => emptyTables(orm(), 'account_tokens', 'users'));

    it('go with the user (ON DELETE CASCADE)', async () => {
      const users = new MikroOrmUserStore(orm());
      const tokens = new MikroOrmAccountTokenStore(orm());
      const [gone, kept] = [await aUserIn(users), await aUserIn(users)];
      const [theirs, others] = [anAccountToken(gone.id), anAccountToken(kept.id)];
      for (const t of [theirs, others]) await tokens.insert(t);
      await users.delete(gone.id);
      expect(await tokens.findByDigest(theirs.digest)).to.equal(null);
      expect(await tokens.findByDigest(others.digest)).to.deep.equal(others);
    });
  });
});
