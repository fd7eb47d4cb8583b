import { expect } from 'chai';
import { v7 } from 'uuid';
import { InMemoryIdentityStore } from '../../../src/adapters/persistence/in-memory/in-memory-identity-store.js';
import { MikroOrmIdentityStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-identity-store.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { MongoIdentitySchema } from '../../../src/adapters/persistence/mongo/mongo-identity-schema.js';
import { MongoIdentityStore } from '../../../src/adapters/persistence/mongo/mongo-identity-store.js';
import { MongoUserSchema } from '../../../src/adapters/persistence/mongo/mongo-user-schema.js';
import { MongoUserStore } from '../../../src/adapters/persistence/mongo/mongo-user-store.js';
import { aUserIn } from '../../support/builders.js';
import { anIdentity } from '../../support/identities.js';
import { emptyCollections, useTestMongo } from '../../support/mongo.js';
import { emptyTables, forEachSqlDialect } from '../../support/sql.js';
import { identityStoreContract } from './identity-store.contract.js';

identityStoreContract('in memory', async () => ({
  store: new InMemoryIdentityStore(),
  newUserId: async () => v7(),
  cleanup: async () => {},
}));

forEachSqlDialect((dialect, orm) => {
  identityStoreContract(dialect, async () => ({
    store: new MikroOrmIdentityStore(orm()),
    newUserId: async () => (await aUserIn(new MikroOrmUserStore(orm()))).id,
    cleanup: () => emptyTables(orm(), 'identities', 'users'),
  }));

  describe(`identities of a removed user on ${dialect}`, () => {
    afterEach(() => emptyTables(orm(), 'identities', 'users'));

    it('go with the user (ON DELETE CASCADE)', async () => {
      const users = new MikroOrmUserStore(orm());
      const identities = new MikroOrmIdentityStore(orm());
      const [gone, kept] = [await aUserIn(users), await aUserIn(users)];
      const [theirs, others] = [anIdentity(gone.id), anIdentity(kept.id)];
      for (const i of [theirs, others]) await identities.insert(i);
      await orm().em.fork().getConnection().execute('delete from users where id = ?', [gone.id]);
      expect(await identities.findBySubject('test', theirs.subject)).to.equal(null);
      expect(await identities.findBySubject('test', others.subject)).to.deep.equal(others);
    });
  });
});

describe('MongoDB (MONGO_URL)', function () {
  const ormOf = useTestMongo();
  identityStoreContract('MongoDB', async () => ({
    store: new MongoIdentityStore(ormOf()),
    newUserId: async () => (await aUserIn(new MongoUserStore(ormOf()))).id,
    cleanup: () => emptyCollections(ormOf(), MongoIdentitySchema, MongoUserSchema),
  }));
});
