import { expect } from 'chai';
import { MongoServerError, MongoServerSelectionError } from 'mongodb';
import sinon from 'sinon';
import { v7 } from 'uuid';
import { MongoRefreshTokenStore } from '../../../../../src/adapters/persistence/mongo/mongo-refresh-token-store.js';
import { ensureMongoIndexes } from '../../../../../src/adapters/persistence/mongo/open-mongo.js';
import { RefreshToken } from '../../../../../src/domain/session/refresh-token.js';
import { aRefreshToken } from '../../../../support/builders.js';
import { useStubbedMongo } from '../../../../support/mongo.js';
import { rejectionOf } from '../../../../support/rejection.js';

const at = new Date('2026-01-01T00:00:09.000Z');
const documentOf = (t: RefreshToken) => ({
  _id: t.id,
  familyId: t.familyId,
  userId: t.userId,
  tokenDigest: t.tokenDigest,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  revokedAt: t.revokedAt,
});

describe('MongoRefreshTokenStore (interactions with the driver collection)', () => {
  const mongo = useStubbedMongo();
  let store: MongoRefreshTokenStore;
  beforeEach(() => {
    store = new MongoRefreshTokenStore(mongo.orm);
  });

  it('inserts the token with its UUIDv7 as _id and an explicit null for revoked, and no spend', async () => {
    const t = aRefreshToken();
    await store.insert(t);
    sinon.assert.calledOnceWithExactly(
      mongo.tokens.insertOne,
      {
        _id: t.id,
        familyId: t.familyId,
        userId: t.userId,
        tokenDigest: t.tokenDigest,
        createdAt: t.createdAt,
        expiresAt: t.expiresAt,
        revokedAt: null,
        amr: ['pwd'],
      },
      {},
    );
    sinon.assert.notCalled(mongo.spends.insertOne);
  });

  it('finds by digest, then its spend by the token id, and maps both back, a missing field read as null', async () => {
    const t = aRefreshToken();
    mongo.tokens.cursor.toArray.resolves([
      {
        _id: t.id,
        familyId: t.familyId,
        userId: t.userId,
        tokenDigest: t.tokenDigest,
        createdAt: t.createdAt,
        expiresAt: t.expiresAt,
      },
    ]);
    expect(await store.findByDigest(t.tokenDigest)).to.deep.equal(t);
    mongo.spends.cursor.toArray.resolves([{ _id: t.id, userId: t.userId, spentAt: at }]);
    expect(await store.findByDigest(t.tokenDigest)).to.deep.equal(Object.assign(t, { spentAt: at }));
    sinon.assert.alwaysCalledWithExactly(mongo.tokens.find, { tokenDigest: t.tokenDigest }, {});
    sinon.assert.alwaysCalledWithExactly(mongo.spends.find, { _id: t.id }, {});
  });

  it('spends by inserting one spend keyed by the token id, after finding the token; a duplicate key means spent', async () => {
    const t = aRefreshToken();
    mongo.tokens.cursor.toArray.resolves([documentOf(t)]);
    expect(await store.spend(t.id, at)).to.equal(true);
    sinon.assert.calledOnceWithExactly(mongo.tokens.find, { _id: t.id }, {});
    sinon.assert.calledOnceWithExactly(mongo.spends.insertOne, { _id: t.id, userId: t.userId, spentAt: at }, {});
    sinon.assert.callOrder(mongo.tokens.find, mongo.spends.insertOne);
    mongo.spends.insertOne.rejects(
      new MongoServerError({
        code: 11000,
        errmsg: 'E11000 duplicate key error collection: portico.refresh_token_spends',
      }),
    );
    expect(await store.spend(t.id, at)).to.equal(false);
    sinon.assert.notCalled(mongo.tokens.updateMany);
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
    sinon.assert.alwaysCalledWithExactly(
      mongo.tokens.countDocuments,
      { familyId: family, revokedAt: { $ne: null } },
      {},
    );
  });

  it('starts every filter it sends with a field the boot-time indexes cover', async () => {
    await ensureMongoIndexes(mongo.orm);
    const indexed = mongo.tokens.createIndex.args.map(([spec]) => Object.keys(spec as object)[0]);
    expect(indexed).to.have.members(['tokenDigest', 'familyId', 'userId']);
    expect(mongo.spends.createIndex.args).to.deep.equal([
      [{ userId: 1 }, { name: 'refresh_token_spends_user_id_index', unique: false, sparse: false }],
    ]);
    mongo.tokens.cursor.toArray.resolves([documentOf(aRefreshToken())]);
    await store.findByDigest('d');
    await store.spend(v7(), at);
    await store.revokeFamily(v7(), at);
    await store.revokeAllOfUser(v7(), at);
    await store.isFamilyActive(v7());
    const filters = [
      ...mongo.tokens.find.args,
      ...mongo.tokens.updateMany.args,
      ...mongo.tokens.countDocuments.args,
    ].map(([f]) => f as object);
    for (const filter of filters)
      expect([...indexed, '_id'], JSON.stringify(filter)).to.include(Object.keys(filter)[0]);
    for (const [filter] of mongo.spends.find.args) expect(Object.keys(filter as object)).to.deep.equal(['_id']);
  });

  it('answers DB.UNAVAILABLE when no server can be selected, even for the spend itself', async () => {
    const selection = new MongoServerSelectionError('Server selection timed out after 5000 ms', {
      type: 'Unknown',
    } as never);
    mongo.tokens.updateMany.rejects(selection);
    expect((await rejectionOf(store.revokeFamily(v7(), at))).code).to.equal('DB.UNAVAILABLE');
    mongo.tokens.cursor.toArray.resolves([documentOf(aRefreshToken())]);
    mongo.spends.insertOne.rejects(selection);
    expect((await rejectionOf(store.spend(v7(), at))).code).to.equal('DB.UNAVAILABLE');
  });
});
