import { expect } from 'chai';
import { v7 } from 'uuid';
import { InMemoryFileCatalog } from '../../../src/adapters/persistence/in-memory/in-memory-file-catalog.js';
import { MikroOrmFileCatalog } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-file-catalog.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { aStoredFile, aUserIn } from '../../support/builders.js';
import { rejectionOf } from '../../support/rejection.js';
import { emptyTables, forEachSqlDialect } from '../../support/sql.js';
import { fileCatalogContract } from './file-catalog.contract.js';
import { fileOwnerAssertions } from './file-owners.contract.js';

fileCatalogContract('in memory', async () => ({
  catalog: new InMemoryFileCatalog(),
  newOwnerId: async () => v7(),
  cleanup: async () => {},
}));

forEachSqlDialect((dialect, orm) => {
  const newOwnerId = async () => (await aUserIn(new MikroOrmUserStore(orm()))).id;
  const cleanup = () => emptyTables(orm(), 'files', 'users');

  fileCatalogContract(dialect, async () => ({ catalog: new MikroOrmFileCatalog(orm()), newOwnerId, cleanup }));

  describe(`files and their owners on ${dialect}`, () => {
    afterEach(cleanup);

    it('refuses a file whose owner does not exist as USER.NOT_FOUND', async () => {
      const error = await rejectionOf(new MikroOrmFileCatalog(orm()).create(aStoredFile()));
      expect(error.code).to.equal('USER.NOT_FOUND');
    });

    fileOwnerAssertions(
      () => ({ catalog: new MikroOrmFileCatalog(orm()), users: new MikroOrmUserStore(orm()) }),
      newOwnerId,
    );
  });
});
