import { MongoUserStore } from '../../../src/adapters/persistence/mongo/mongo-user-store.js';
import { MongoUserSchema } from '../../../src/adapters/persistence/mongo/mongo-user-schema.js';
import { useTestMongo } from '../../support/mongo.js';
import { userStoreContract } from './user-store.contract.js';

/** The unchanged UserStore contract on a real MongoDB (MONGO_URL), in a database of its own. */
describe('MongoDB (MONGO_URL)', function () {
  const ormOf = useTestMongo();

  userStoreContract('MongoDB', async () => ({
    store: new MongoUserStore(ormOf()),
    cleanup: async () => void (await ormOf().em.fork().nativeDelete(MongoUserSchema, {})),
  }));
});
