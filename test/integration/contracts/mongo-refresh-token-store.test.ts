import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { v7 } from 'uuid';
import { MongoRefreshTokenSchema } from '../../../src/adapters/persistence/mongo/mongo-refresh-token-schema.js';
import { MongoRefreshTokenStore } from '../../../src/adapters/persistence/mongo/mongo-refresh-token-store.js';
import { MongoUserSchema } from '../../../src/adapters/persistence/mongo/mongo-user-schema.js';
import { MongoUserStore } from '../../../src/adapters/persistence/mongo/mongo-user-store.js';
import { RefreshToken } from '../../../src/domain/session/refresh-token.js';
import { aUser } from '../../support/builders.js';
import { useTestMongo } from '../../support/mongo.js';
import { refreshTokenStoreContract } from './refresh-token-store.contract.js';

const aTokenOf = (userId: string) =>
  new RefreshToken(v7(), v7(), userId, randomBytes(32).toString('hex'), new Date('2026-01-01T00:00:00.000Z'), new Date('2026-01-01T01:00:00.000Z'));

/** The unchanged RefreshTokenStore contract on a real MongoDB (MONGO_URL), in a database of its own. */
describe('MongoDB (MONGO_URL)', function () {
  const ormOf = useTestMongo();

  refreshTokenStoreContract('MongoDB', async () => ({
    store: new MongoRefreshTokenStore(ormOf()),
    // No foreign key to satisfy, but the tokens belong to real users, as on SQL.
    newUserId: async () => {
      const user = aUser();
      await new MongoUserStore(ormOf()).create(user);
      return user.id;
    },
    cleanup: async () => {
      const em = ormOf().em.fork();
      await em.nativeDelete(MongoRefreshTokenSchema, {});
      await em.nativeDelete(MongoUserSchema, {});
    },
  }));

  describe('refresh tokens of a deleted user on MongoDB, without foreign keys', () => {
    afterEach(async () => {
      const em = ormOf().em.fork();
      await em.nativeDelete(MongoRefreshTokenSchema, {});
      await em.nativeDelete(MongoUserSchema, {});
    });

    it("deletes the user's refresh tokens with the user, as SQL's cascade does, and nobody else's", async () => {
      const users = new MongoUserStore(ormOf());
      const tokens = new MongoRefreshTokenStore(ormOf());
      const [gone, kept] = [aUser(), aUser()];
      for (const user of [gone, kept]) await users.create(user);
      const [mine, theirs] = [aTokenOf(gone.id), aTokenOf(kept.id)];
      for (const token of [mine, aTokenOf(gone.id), theirs]) await tokens.insert(token);

      expect(await users.delete(gone.id)).to.equal(true);
      const em = ormOf().em.fork();
      expect(await em.count(MongoRefreshTokenSchema, { userId: gone.id })).to.equal(0);
      expect(await tokens.findByDigest(mine.tokenDigest)).to.equal(null);
      expect(await tokens.findByDigest(theirs.tokenDigest)).to.deep.equal(theirs);
    });
  });
});
