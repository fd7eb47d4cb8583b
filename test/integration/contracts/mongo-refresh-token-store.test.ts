import type { MikroORM } from '@mikro-orm/core';
import type { MongoDriver } from '@mikro-orm/mongodb';
import { MongoRefreshTokenSchema } from '../../../src/adapters/persistence/mongo/mongo-refresh-token-schema.js';
import { MongoRefreshTokenStore } from '../../../src/adapters/persistence/mongo/mongo-refresh-token-store.js';
import { MongoUserSchema } from '../../../src/adapters/persistence/mongo/mongo-user-schema.js';
import { MongoUserStore } from '../../../src/adapters/persistence/mongo/mongo-user-store.js';
import { openMongo } from '../../../src/adapters/persistence/mongo/open-mongo.js';
import { aUser } from '../../support/builders.js';
import { createTestMongoDatabase, requireMongo, type TestMongoDatabase } from '../../support/mongo.js';
import { refreshTokenStoreContract } from './refresh-token-store.contract.js';

/** The unchanged RefreshTokenStore contract on a real MongoDB (MONGO_URL), in a database of its own. */
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

  refreshTokenStoreContract('MongoDB', async () => ({
    store: new MongoRefreshTokenStore(orm!),
    // No foreign key to satisfy, but the tokens belong to real users, as on SQL.
    newUserId: async () => {
      const user = aUser();
      await new MongoUserStore(orm!).create(user);
      return user.id;
    },
    cleanup: async () => {
      const em = orm!.em.fork();
      await em.nativeDelete(MongoRefreshTokenSchema, {});
      await em.nativeDelete(MongoUserSchema, {});
    },
  }));
});
