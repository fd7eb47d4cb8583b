import { expect } from 'chai';
import { v7 } from 'uuid';
import { InMemoryFileCatalog } from '../../../src/adapters/persistence/in-memory/in-memory-file-catalog.js';
import { MikroOrmFileCatalog } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-file-catalog.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { aStoredFile, aUser } from '../../support/builders.js';
import { rejectionOf } from '../../support/rejection.js';
import { emptyTables, forEachSqlDialect } from '../../support/sql.js';
import { fileCatalogContract } from './file-catalog.contract.js';

fileCatalogContract('in memory', async () => ({ catalog: new InMemoryFileCatalog(), newOwnerId: async () => v7(), cleanup: async () => {} }));

forEachSqlDialect((dialect, orm) => {
  const newOwnerId = async () => {
    const user = aUser();
    await new MikroOrmUserStore(orm()).create(user);
    return user.id;
  };
  const cleanup = () => emptyTables(orm(), 'files', 'users');

  fileCatalogContract(dialect, async () => ({ catalog: new MikroOrmFileCatalog(orm()), newOwnerId, cleanup }));

  describe(`files and their owners on ${dialect}`, () => {
    afterEach(cleanup);

    it('refuses a file whose owner does not exist as USER.NOT_FOUND', async () => {
      const error = await rejectionOf(new MikroOrmFileCatalog(orm()).create(aStoredFile()));
      expect(error.code).to.equal('USER.NOT_FOUND');
    });

    it('keeps a user with file rows from being deleted until the rows are gone', async () => {
      const catalog = new MikroOrmFileCatalog(orm());
      const users = new MikroOrmUserStore(orm());
      const file = aStoredFile({ ownerId: await newOwnerId() });
      await catalog.create(file);
      await rejectionOf(users.delete(file.ownerId));
      expect(await catalog.findById(file.id)).to.deep.equal(file);
      await catalog.delete(file.id);
      expect(await users.delete(file.ownerId)).to.equal(true);
    });
  });
});
