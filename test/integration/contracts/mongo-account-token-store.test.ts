import { expect } from 'chai';
import { v7 } from 'uuid';
import {
  MongoAccountTokenSchema,
  MongoAccountTokenUseSchema,
} from '../../../src/adapters/persistence/mongo/mongo-account-token-schema.js';
import { MongoAccountTokenStore } from '../../../src/adapters/persistence/mongo/mongo-account-token-store.js';
import { MongoUserSchema } from '../../../src/adapters/persistence/mongo/mongo-user-schema.js';
import { MongoUserStore } from '../../../src/adapters/persistence/mongo/mongo-user-store.js';
import type { AccountTokenStore } from '../../../src/domain/ports/account-token-store.js';
import { anAccountToken } from '../../support/account-tokens.js';
import { aUserIn } from '../../support/builders.js';
import { commandsSentDuring, emptyCollections, useTestMongo } from '../../support/mongo.js';
import { rejectionOf } from '../../support/rejection.js';
import { accountTokenStoreContract } from './account-token-store.contract.js';

/** The unchanged AccountTokenStore contract on a real MongoDB (MONGO_URL; FerretDB in development), in a database of its own. */
describe('MongoDB (MONGO_URL)', function () {
  const ormOf = useTestMongo({ monitorCommands: true });
  const cleanup = () => emptyCollections(ormOf(), MongoAccountTokenUseSchema, MongoAccountTokenSchema, MongoUserSchema);

  accountTokenStoreContract('MongoDB', async () => ({
    store: new MongoAccountTokenStore(ormOf()),
    newUserId: async () => (await aUserIn(new MongoUserStore(ormOf()))).id,
    cleanup,
  }));

  describe('account tokens of a deleted user on MongoDB, without foreign keys', () => {
    afterEach(cleanup);

    it('go with the user, their uses too, as ON DELETE CASCADE does on SQL', async () => {
      const users = new MongoUserStore(ormOf());
      const tokens = new MongoAccountTokenStore(ormOf());
      const [gone, kept] = [await aUserIn(users), await aUserIn(users)];
      const [theirs, used, others] = [anAccountToken(gone.id), anAccountToken(gone.id), anAccountToken(kept.id)];
      for (const t of [theirs, used, others]) await tokens.insert(t);
      await tokens.consume(used.id);
      await users.delete(gone.id);
      expect(await tokens.findByDigest(theirs.digest)).to.equal(null);
      expect(await tokens.findByDigest(others.digest)).to.deep.equal(others);
      expect(await ormOf().em.fork().count(MongoAccountTokenUseSchema, { userId: gone.id })).to.equal(0);
    });
  });

  describe('operator injection on MongoDB (defence in depth)', () => {
    const attempts: Array<[string, (s: AccountTokenStore) => Promise<unknown>]> = [
      ['findByDigest({ $ne: null })', (s) => s.findByDigest({ $ne: null } as never)],
      ['consume({ $ne: null })', (s) => s.consume({ $ne: null } as never)],
      ['revokeAll({ $ne: null }, ...)', (s) => s.revokeAll({ $ne: null } as never, 'reset-password')],
      ['revokeAll(id, { $ne: null })', (s) => s.revokeAll(v7(), { $ne: null } as never)],
      ['deleteExpired({ $gt: 0 })', (s) => s.deleteExpired({ $gt: 0 } as never)],
      ['insert with a digest { $gt: "" }', (s) => s.insert(anAccountToken(v7(), { digest: { $gt: '' } as never }))],
    ];
    afterEach(cleanup);
    for (const [name, attempt] of attempts) {
      it(`refuses ${name} as REQUEST.INVALID, sending nothing`, async () => {
        const store = new MongoAccountTokenStore(ormOf());
        const stored = anAccountToken(v7());
        await store.insert(stored);
        const { result: error, sent } = await commandsSentDuring(ormOf(), () => rejectionOf(attempt(store)));
        expect(error.code).to.equal('REQUEST.INVALID');
        expect(sent).to.deep.equal([]);
        expect(await store.findByDigest(stored.digest)).to.deep.equal(stored);
      });
    }
  });
});
