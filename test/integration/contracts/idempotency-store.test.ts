import { InMemoryIdempotencyStore } from '../../../src/adapters/persistence/in-memory/in-memory-idempotency-store.js';
import { MikroOrmIdempotencyStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-idempotency-store.js';
import {
  MongoIdempotencyKeySchema,
  MongoIdempotencyTakeoverSchema,
} from '../../../src/adapters/persistence/mongo/mongo-idempotency-key-schema.js';
import { MongoIdempotencyStore } from '../../../src/adapters/persistence/mongo/mongo-idempotency-store.js';
import { emptyCollections, useTestMongo } from '../../support/mongo.js';
import { emptyTables, forEachSqlDialect } from '../../support/sql.js';
import { idempotencyStoreContract } from './idempotency-store.contract.js';

idempotencyStoreContract('in memory', async () => ({
  store: new InMemoryIdempotencyStore(),
  cleanup: async () => {},
}));

forEachSqlDialect((dialect, orm) => {
  idempotencyStoreContract(dialect, async () => ({
    store: new MikroOrmIdempotencyStore(orm()),
    cleanup: () => emptyTables(orm(), 'idempotency_keys'),
  }));
});

describe('MongoDB (MONGO_URL)', function () {
  const ormOf = useTestMongo();
  idempotencyStoreContract('MongoDB', async () => ({
    store: new MongoIdempotencyStore(ormOf()),
    cleanup: () => emptyCollections(ormOf(), MongoIdempotencyKeySchema, MongoIdempotencyTakeoverSchema),
  }));
});
