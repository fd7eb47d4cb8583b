import { expect } from 'chai';
import { MongoServerSelectionError } from 'mongodb';
import sinon from 'sinon';
import { v7 } from 'uuid';
import { MongoRefreshTokenStore } from '../../../src/adapters/persistence/mongo/mongo-refresh-token-store.js';
import { ensureMongoIndexes } from '../../../src/adapters/persistence/mongo/open-mongo.js';
import type { RefreshTokenStore } from '../../../src/domain/ports/refresh-token-store.js';
import { RefreshToken } from '../../../src/domain/session/refresh-token.js';
import { serverCalls, stubbedMongo } from '../../support/mongo.js';
import { rejectionOf } from '../../support/rejection.js';

type Harness = Awaited<ReturnType<typeof stubbedMongo>>;

const at = new Date('2026-01-01T00:00:09.000Z');
const aToken = () => new RefreshToken(v7(), v7(), v7(), 'ab'.repeat(32), new Date('2026-01-01T00:00:00.000Z'), new Date('2026-01-01T01:00:00.000Z'));

describe('MongoRefreshTokenStore (interactions with the driver collection)', () => {
  let mongo: Harness;
  let store: MongoRefreshTokenStore;
  beforeEach(async () => {
    mongo = await stubbedMongo();
    store = new MongoRefreshTokenStore(mongo.orm);
  });
  afterEach(async () => {
    await mongo.close();
    sinon.restore();
  });

  it('inserts the token with its UUIDv7 as _id and explicit nulls for spent and revoked', async () => {
    const t = aToken();
    await store.insert(t);
    sinon.assert.calledOnceWithExactly(
      mongo.tokens.insertOne,
      { _id: t.id, familyId: t.familyId, userId: t.userId, tokenDigest: t.tokenDigest, createdAt: t.createdAt, expiresAt: t.expiresAt, spentAt: null, revokedAt: null },
      {},
    );
  });

  it('finds by digest and maps the document back, a missing field read as null', async () => {
    const t = aToken();
    mongo.tokens.cursor.toArray.resolves([{ _id: t.id, familyId: t.familyId, userId: t.userId, tokenDigest: t.tokenDigest, createdAt: t.createdAt, expiresAt: t.expiresAt }]);
    expect(await store.findByDigest(t.tokenDigest)).to.deep.equal(t);
    sinon.assert.calledOnceWithExactly(mongo.tokens.find, { tokenDigest: t.tokenDigest }, {});
  });

  it('spends with one conditional update that only an unspent token matches', async () => {
    const id = v7();
    mongo.tokens.updateMany.resolves({ matchedCount: 1, modifiedCount: 1 });
    expect(await store.spend(id, at)).to.equal(true);
    mongo.tokens.updateMany.resolves({ matchedCount: 0, modifiedCount: 0 });
    expect(await store.spend(id, at)).to.equal(false);
    expect(mongo.tokens.updateMany.firstCall.args).to.deep.equal([{ _id: id, spentAt: null }, { $set: { spentAt: at } }, {}]);
  });

  it('revokes a family, or every token of a user, leaving earlier revocations as they were', async () => {
    const [family, user] = [v7(), v7()];
    await store.revokeFamily(family, at);
    await store.revokeAllOfUser(user, at);
    expect(mongo.tokens.updateMany.args).to.deep.equal([
      [{ familyId: family, revokedAt: null }, { $set: { revokedAt: at } }, {}],
      [{ userId: user, revokedAt: null }, { $set: { revokedAt: at } }, {}],
    ]);
  });

  it('counts revoked tokens of the family to tell whether it is active', async () => {
    const family = v7();
    expect(await store.isFamilyActive(family)).to.equal(true);
    mongo.tokens.countDocuments.resolves(1);
    expect(await store.isFamilyActive(family)).to.equal(false);
    sinon.assert.alwaysCalledWithExactly(mongo.tokens.countDocuments, { familyId: family, revokedAt: { $ne: null } }, {});
  });

  it('starts every filter it sends with a field the boot-time indexes cover', async () => {
    await ensureMongoIndexes(mongo.orm);
    const indexed = mongo.tokens.createIndex.args.map(([spec]) => Object.keys(spec as object)[0]);
    expect(indexed).to.have.members(['tokenDigest', 'familyId', 'userId']);
    await store.findByDigest('d');
    await store.spend(v7(), at);
    await store.revokeFamily(v7(), at);
    await store.revokeAllOfUser(v7(), at);
    await store.isFamilyActive(v7());
    const filters = [...mongo.tokens.find.args, ...mongo.tokens.updateMany.args, ...mongo.tokens.countDocuments.args].map(([f]) => f as object);
    for (const filter of filters) expect([...indexed, '_id'], JSON.stringify(filter)).to.include(Object.keys(filter)[0]);
  });

  describe('operator injection (defence in depth)', () => {
    const attempts: Array<[string, (s: RefreshTokenStore) => Promise<unknown>]> = [
      ['findByDigest({ $ne: null })', (s) => s.findByDigest({ $ne: null } as never)],
      ['findByDigest({ $where: ... })', (s) => s.findByDigest({ $where: 'true' } as never)],
      ['spend({ $ne: null })', (s) => s.spend({ $ne: null } as never, at)],
      ['spend(id, { $unset: 1 })', (s) => s.spend(v7(), { $unset: 1 } as never)],
      ['revokeFamily({ $ne: null })', (s) => s.revokeFamily({ $ne: null } as never, at)],
      ['revokeAllOfUser({ $exists: true })', (s) => s.revokeAllOfUser({ $exists: true } as never, at)],
      ['isFamilyActive({ $ne: null })', (s) => s.isFamilyActive({ $ne: null } as never)],
      ['insert with a digest { $gt: "" }', (s) => s.insert(Object.assign(aToken(), { tokenDigest: { $gt: '' } as never }))],
    ];
    for (const [name, attempt] of attempts) {
      it(`refuses ${name} as REQUEST.INVALID before anything reaches the driver`, async () => {
        expect((await rejectionOf(attempt(store))).code).to.equal('REQUEST.INVALID');
        for (const call of serverCalls(mongo.tokens)) sinon.assert.notCalled(call);
      });
    }
  });

  it('answers DB.UNAVAILABLE when no server can be selected', async () => {
    mongo.tokens.updateMany.rejects(new MongoServerSelectionError('Server selection timed out after 5000 ms', { type: 'Unknown' } as never));
    expect((await rejectionOf(store.spend(v7(), at))).code).to.equal('DB.UNAVAILABLE');
  });
});
