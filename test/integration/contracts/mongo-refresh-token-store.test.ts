import { expect } from 'chai';
import { v7 } from 'uuid';
import { MongoRefreshTokenSchema } from '../../../src/adapters/persistence/mongo/mongo-refresh-token-schema.js';
import { MongoRefreshTokenSpendSchema } from '../../../src/adapters/persistence/mongo/mongo-refresh-token-spend-schema.js';
import { MongoRefreshTokenStore } from '../../../src/adapters/persistence/mongo/mongo-refresh-token-store.js';
import { MongoUserSchema } from '../../../src/adapters/persistence/mongo/mongo-user-schema.js';
import { MongoUserStore } from '../../../src/adapters/persistence/mongo/mongo-user-store.js';
import type { RefreshTokenStore } from '../../../src/domain/ports/refresh-token-store.js';
import { aRefreshToken, at, aUser, aUserIn } from '../../support/builders.js';
import { commandsSentDuring, emptyCollections, useTestMongo } from '../../support/mongo.js';
import { rejectionOf } from '../../support/rejection.js';
import { refreshTokenStoreContract } from './refresh-token-store.contract.js';

/** The unchanged RefreshTokenStore contract on a real MongoDB (MONGO_URL), in a database of its own. */
describe('MongoDB (MONGO_URL)', function () {
  const ormOf = useTestMongo({ monitorCommands: true });
  const newUserId = async () => (await aUserIn(new MongoUserStore(ormOf()))).id;
  const cleanup = () =>
    emptyCollections(ormOf(), MongoRefreshTokenSpendSchema, MongoRefreshTokenSchema, MongoUserSchema);

  // No foreign key to satisfy, but the tokens belong to real users, as on SQL.
  refreshTokenStoreContract('MongoDB', async () => ({
    store: new MongoRefreshTokenStore(ormOf()),
    newUserId,
    cleanup,
  }));

  describe('spending on MongoDB, where only an insert is atomic on every server', () => {
    afterEach(cleanup);

    // RefreshSession reads spentAt right after losing, to tell a replay from a client's double send.
    it("shows every caller that lost the race the winner's spentAt as soon as it lost", async () => {
      const tokens = new MongoRefreshTokenStore(ormOf());
      const token = aRefreshToken(await newUserId());
      await tokens.insert(token);
      const seen = await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const won = await tokens.spend(token.id, at(10 + i));
          return {
            won,
            time: at(10 + i).toISOString(),
            spentAt: (await tokens.findByDigest(token.tokenDigest))?.spentAt?.toISOString(),
          };
        }),
      );
      const winners = seen.filter((s) => s.won);
      expect(winners).to.have.length(1);
      expect(seen.map((s) => s.spentAt)).to.deep.equal(Array(10).fill(winners[0]!.time));
    });

    // FerretDB v1 rewrites the whole document it read, so two updates of one token would lose one.
    it('keeps both a spend and a revocation of one token that race each other', async () => {
      const tokens = new MongoRefreshTokenStore(ormOf());
      const userId = await newUserId();
      const raced = Array.from({ length: 10 }, () => aRefreshToken(userId));
      for (const token of raced) await tokens.insert(token);
      await Promise.all(raced.flatMap((t) => [tokens.spend(t.id, at(5)), tokens.revokeFamily(t.familyId, at(9))]));
      const found = await Promise.all(raced.map((t) => tokens.findByDigest(t.tokenDigest)));
      expect(found.map((t) => [t?.spentAt?.toISOString(), t?.revokedAt?.toISOString()])).to.deep.equal(
        Array(10).fill([at(5).toISOString(), at(9).toISOString()]),
      );
    });

    it('does not spend a token it does not have', async () => {
      const tokens = new MongoRefreshTokenStore(ormOf());
      expect(await tokens.spend(v7(), at(5))).to.equal(false);
      expect(await ormOf().em.fork().count(MongoRefreshTokenSpendSchema, {})).to.equal(0);
    });

    it('stores a token that arrives already spent as spent', async () => {
      const tokens = new MongoRefreshTokenStore(ormOf());
      const token = aRefreshToken(await newUserId());
      token.spentAt = at(7);
      await tokens.insert(token);
      expect(await tokens.findByDigest(token.tokenDigest)).to.deep.equal(token);
      expect(await tokens.spend(token.id, at(8))).to.equal(false);
    });
  });

  describe('refresh tokens of a deleted user on MongoDB, without foreign keys', () => {
    afterEach(cleanup);

    it("deletes the user's refresh tokens and their spends with the user, as SQL's cascade does, and nobody else's", async () => {
      const users = new MongoUserStore(ormOf());
      const tokens = new MongoRefreshTokenStore(ormOf());
      const [gone, kept] = [aUser(), aUser()];
      for (const user of [gone, kept]) await users.create(user);
      const [mine, theirs] = [aRefreshToken(gone.id), aRefreshToken(kept.id)];
      for (const token of [mine, aRefreshToken(gone.id), theirs]) await tokens.insert(token);
      for (const token of [mine, theirs]) expect(await tokens.spend(token.id, at(5))).to.equal(true);

      expect(await users.delete(gone.id)).to.equal(true);
      const em = ormOf().em.fork();
      expect(await em.count(MongoRefreshTokenSchema, { userId: gone.id })).to.equal(0);
      expect(await em.count(MongoRefreshTokenSpendSchema, { userId: gone.id })).to.equal(0);
      expect(await tokens.findByDigest(mine.tokenDigest)).to.equal(null);
      expect(await tokens.findByDigest(theirs.tokenDigest)).to.deep.equal(Object.assign(theirs, { spentAt: at(5) }));
    });
  });

  describe('operator injection on MongoDB (defence in depth)', () => {
    const attempts: Array<[string, (s: RefreshTokenStore, id: string) => Promise<unknown>]> = [
      ['findByDigest({ $ne: null })', (s) => s.findByDigest({ $ne: null } as never)],
      ['findByDigest({ $where: ... })', (s) => s.findByDigest({ $where: 'true' } as never)],
      ['spend({ $ne: null })', (s) => s.spend({ $ne: null } as never, at(5))],
      ['spend(id, { $unset: 1 })', (s, id) => s.spend(id, { $unset: 1 } as never)],
      ['revokeFamily({ $ne: null })', (s) => s.revokeFamily({ $ne: null } as never, at(5))],
      ['revokeAllOfUser({ $exists: true })', (s) => s.revokeAllOfUser({ $exists: true } as never, at(5))],
      ['isFamilyActive({ $ne: null })', (s) => s.isFamilyActive({ $ne: null } as never)],
      [
        'insert with a digest { $gt: "" }',
        (s, id) => s.insert(Object.assign(aRefreshToken(id), { tokenDigest: { $gt: '' } as never })),
      ],
    ];
    afterEach(cleanup);
    for (const [name, attempt] of attempts) {
      it(`refuses ${name} as REQUEST.INVALID, sending nothing: it matches no stored token`, async () => {
        const tokens = new MongoRefreshTokenStore(ormOf());
        const stored = aRefreshToken(await newUserId());
        await tokens.insert(stored);
        const { result: error, sent } = await commandsSentDuring(ormOf(), () =>
          rejectionOf(attempt(tokens, stored.id)),
        );
        expect(error.code).to.equal('REQUEST.INVALID');
        expect(sent).to.deep.equal([]);
        expect(await tokens.findByDigest(stored.tokenDigest)).to.deep.equal(stored);
        expect(await ormOf().em.fork().count(MongoRefreshTokenSchema, {})).to.equal(1);
      });
    }
  });
});
