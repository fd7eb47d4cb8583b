import { MongoMailQueue } from '../../../src/adapters/persistence/mongo/mongo-mail-queue.js';
import { MongoMailClaimSchema, MongoMailSchema } from '../../../src/adapters/persistence/mongo/mongo-mail-schema.js';
import { emptyCollections, useTestMongo } from '../../support/mongo.js';
import { mailQueueContract } from './mail-queue.contract.js';

/** The unchanged MailQueue contract on a real MongoDB (MONGO_URL; FerretDB in development), in a database of its own. */
describe('MongoDB (MONGO_URL)', function () {
  const ormOf = useTestMongo();
  const cleanup = () => emptyCollections(ormOf(), MongoMailClaimSchema, MongoMailSchema);

  mailQueueContract('MongoDB', async () => ({ queue: new MongoMailQueue(ormOf()), cleanup }));
});
