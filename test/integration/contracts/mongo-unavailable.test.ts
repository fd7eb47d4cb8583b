import { MikroORM } from '@mikro-orm/core';
import type { MongoDriver } from '@mikro-orm/mongodb';
import { expect } from 'chai';
import { v7 } from 'uuid';
import { MongoAccountTokenStore } from '../../../src/adapters/persistence/mongo/mongo-account-token-store.js';
import { MongoFileCatalog } from '../../../src/adapters/persistence/mongo/mongo-file-catalog.js';
import { mongoOrmOptions } from '../../../src/adapters/persistence/mongo/mongo-orm-options.js';
import { MongoRefreshTokenStore } from '../../../src/adapters/persistence/mongo/mongo-refresh-token-store.js';
import { MongoUserStore } from '../../../src/adapters/persistence/mongo/mongo-user-store.js';
import { mongoHealthCheck, openMongo } from '../../../src/adapters/persistence/mongo/open-mongo.js';
import { parseConfig } from '../../../src/infrastructure/config.js';
import { anAccountToken } from '../../support/account-tokens.js';
import { aStoredFile, aUser } from '../../support/builders.js';
import { rejectionOf } from '../../support/rejection.js';

// Nothing listens on port 1: the real driver, no server needed, so this suite always runs.
const { db } = parseConfig({
  DB_DRIVER: 'mongo',
  MONGO_URL: 'mongodb://portico:s3cret-pw@127.0.0.1:1/portico',
  DB_POOL_ACQUIRE_TIMEOUT_MS: '400',
});

describe('MongoDB adapters when no server answers', function () {
  this.timeout(10_000);

  it('fails the boot within the timeout, naming the host and never the password', async () => {
    const started = performance.now();
    const error = await rejectionOf(openMongo(db));
    expect(performance.now() - started).to.be.below(3_000);
    expect(error.message)
      .to.match(/^MongoDB at 127\.0\.0\.1:1 did not answer within 400 ms: /)
      .and.not.include('s3cret-pw');
    expect((error.cause as Error).name).to.equal('MongoServerSelectionError');
  });

  describe('once booted (the server went away)', () => {
    let orm: MikroORM<MongoDriver>;
    before(async () => {
      orm = await MikroORM.init<MongoDriver>(mongoOrmOptions(db));
    });
    after(() => orm.close(true));

    it('answers DB.UNAVAILABLE for reads and writes of every store, the driver error kept as cause', async () => {
      const users = new MongoUserStore(orm);
      const tokens = new MongoRefreshTokenStore(orm);
      const files = new MongoFileCatalog(orm);
      const errors = await Promise.all([
        rejectionOf(users.create(aUser())),
        rejectionOf(users.findById(v7())),
        rejectionOf(users.list({ limit: 1 })),
        rejectionOf(users.delete(v7())),
        rejectionOf(tokens.spend(v7(), new Date())),
        rejectionOf(files.create(aStoredFile())),
        rejectionOf(files.list({ limit: 1 })),
      ]);
      expect(errors.map((e) => e.code)).to.deep.equal(Array(7).fill('DB.UNAVAILABLE'));
      const chain = [errors[0]!.cause as Error, (errors[0]!.cause as Error).cause as Error];
      expect(chain.map((e) => e.name)).to.include('MongoServerSelectionError');
    });

    it('answers DB.UNAVAILABLE for every account token operation', async () => {
      const tokens = new MongoAccountTokenStore(orm);
      const errors = await Promise.all([
        rejectionOf(tokens.insert(anAccountToken(v7()))),
        rejectionOf(tokens.findByDigest('digest')),
        rejectionOf(tokens.consume(v7())),
        rejectionOf(tokens.revokeAll(v7(), 'verify-email')),
        rejectionOf(tokens.deleteExpired(new Date())),
      ]);
      expect(errors.map((e) => e.code)).to.deep.equal(Array(5).fill('DB.UNAVAILABLE'));
    });

    it('fails the readiness check with DB.UNAVAILABLE', async () => {
      expect((await rejectionOf(mongoHealthCheck(orm).check())).code).to.equal('DB.UNAVAILABLE');
    });
  });
});
