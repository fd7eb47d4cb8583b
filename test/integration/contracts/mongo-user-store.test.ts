import type { MikroORM } from '@mikro-orm/core';
import type { MongoDriver } from '@mikro-orm/mongodb';
import { MongoUserStore } from '../../../src/adapters/persistence/mongo/mongo-user-store.js';
import { MongoUserSchema } from '../../../src/adapters/persistence/mongo/mongo-user-schema.js';
import { openMongo } from '../../../src/adapters/persistence/mongo/open-mongo.js';
import { createTestMongoDatabase, requireMongo, type TestMongoDatabase } from '../../support/mongo.js';
import { userStoreContract } from './user-store.contract.js';

/** The unchanged UserStore contract on a real MongoDB (MONGO_URL), in a database of its own. */
describe('MongoDB (MONGO_URL)', function () {
  let database: TestMongoDatabase | undefined;
  let orm: MikroORM<MongoDriver> | undefined;

  before(async function () {
    database = createTestMongoDatabase(requireMongo(this));
    orm = await openMongo(database.db);
  });

  after(async () => {
    await orm?.close(true);
    await database?.drop();
  });

  userStoreContract('MongoDB', async () => ({
    store: new MongoUserStore(orm!),
    cleanup: async () => void (await orm!.em.fork().nativeDelete(MongoUserSchema, {})),
  }));
});
