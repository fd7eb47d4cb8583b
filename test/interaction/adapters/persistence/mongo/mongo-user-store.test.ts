import { createRequire } from 'node:module';
import { expect } from 'chai';
import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import sinon from 'sinon';
import { v7 } from 'uuid';
import { MongoUserStore } from '../../../../../src/adapters/persistence/mongo/mongo-user-store.js';
import { User } from '../../../../../src/domain/user/user.js';
import { aUser } from '../../../../support/builders.js';
import { expectDeletesById, serverCalls, useStubbedMongo } from '../../../../support/mongo.js';
import { rejectionOf } from '../../../../support/rejection.js';

// The driver does not export this class from its entry point; it is what a full pool throws.
const { WaitQueueTimeoutError } = createRequire(import.meta.url)('mongodb/lib/cmap/errors.js') as {
  WaitQueueTimeoutError: new (message: string, address: string) => Error;
};

const documentOf = (u: User) => ({
  _id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  profile: u.profile,
  passwordHash: u.passwordHash,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
  emailVerifiedAt: u.emailVerifiedAt,
  totpSecret: u.totpSecret,
  totpEnabledAt: u.totpEnabledAt,
  status: u.status,
  deletedAt: u.deletedAt,
  listStatus: u.deletedAt ? 'deleted' : u.status,
  nameKey: u.name.toLowerCase(),
  version: u.version,
});

const duplicateKey = (index: string, key: string) =>
  new MongoServerError({
    code: 11000,
    errmsg: `E11000 duplicate key error collection: portico.users index: ${index} dup key: { ${key}: "x" }`,
    keyPattern: { [key]: 1 },
    keyValue: { [key]: 'x' },
  });

describe('MongoUserStore (interactions with the driver collection)', () => {
  const mongo = useStubbedMongo();
  let store: MongoUserStore;
  beforeEach(() => {
    store = new MongoUserStore(mongo.orm);
  });

  describe('what it sends', () => {
    it('inserts one document whose _id is the UUIDv7 and whose profile is a sub-document, not text', async () => {
      const user = aUser({ profile: { address: { city: 'Oslo' }, tags: ['a', null] } });
      await store.create(user);
      sinon.assert.calledOnceWithExactly(mongo.users.insertOne, documentOf(user), {});
      const [sent] = mongo.users.insertOne.firstCall.args as [{ profile: object }];
      expect(sent.profile).to.be.an('object').and.not.equal(user.profile);
    });

    it('reads the version, claims the next one in version_claims, then updates by _id at that version with $set of the changed fields only, never _id or createdAt', async () => {
      const user = aUser({ role: 'admin', profile: { v: 2 }, version: 3 });
      mongo.users.cursor.toArray.resolves([{ _id: user.id, version: 3 }]);
      mongo.users.updateMany.resolves({ matchedCount: 1, modifiedCount: 1 });
      await store.update(user);
      const { _id, createdAt: _c, version: _v, ...changes } = documentOf(user);
      sinon.assert.calledOnceWithExactly(mongo.users.find, { _id }, sinon.match.object);
      sinon.assert.calledOnceWithExactly(
        mongo.versionClaims.insertOne,
        { _id: `users:${_id}:4`, record: `users:${_id}`, claimedAt: sinon.match.date },
        {},
      );
      sinon.assert.calledOnceWithExactly(
        mongo.users.updateMany,
        { _id, version: 3 },
        { $set: { ...changes, version: 4 } },
        {},
      );
      sinon.assert.callOrder(mongo.users.find, mongo.versionClaims.insertOne, mongo.users.updateMany);
      expect(user.version).to.equal(4);
    });

    it('writing over a version the caller never read, leaves its status and deletion out of $set', async () => {
      const user = aUser({ status: 'active', deletedAt: null, version: 2 });
      mongo.users.cursor.toArray.resolves([{ _id: user.id, version: 3 }]);
      mongo.users.updateMany.resolves({ matchedCount: 1, modifiedCount: 1 });
      await store.update(user);
      const {
        _id,
        createdAt: _c,
        version: _v,
        status: _s,
        deletedAt: _d,
        listStatus: _l,
        ...changes
      } = documentOf(user);
      sinon.assert.calledOnceWithExactly(
        mongo.users.updateMany,
        { _id, version: 3 },
        { $set: { ...changes, version: 4 } },
        {},
      );
    });

    it('reads a document without a version as version 1', async () => {
      const user = aUser();
      mongo.users.cursor.toArray.resolves([{ _id: user.id }]);
      mongo.users.updateMany.resolves({ matchedCount: 1, modifiedCount: 1 });
      await store.update(user);
      const filter = { _id: user.id, $or: [{ version: 1 }, { version: { $exists: false } }] };
      sinon.assert.calledOnceWithExactly(mongo.users.updateMany, filter, sinon.match.object, {});
    });

    it('answers USER.NOT_FOUND for a user not there, claiming nothing', async () => {
      expect((await rejectionOf(store.update(aUser()))).code).to.equal('USER.NOT_FOUND');
      sinon.assert.notCalled(mongo.versionClaims.insertOne);
      sinon.assert.notCalled(mongo.users.updateMany);
    });

    it('answers PRECONDITION.FAILED, writing nothing, for another expected version or a claim someone else won', async () => {
      const user = aUser();
      mongo.users.cursor.toArray.resolves([{ _id: user.id, version: 2 }]);
      expect((await rejectionOf(store.update(user, 1))).code).to.equal('PRECONDITION.FAILED');
      sinon.assert.notCalled(mongo.versionClaims.insertOne);
      mongo.versionClaims.insertOne.rejects(duplicateKey('_id_', '_id'));
      expect((await rejectionOf(store.update(user, 2))).code).to.equal('PRECONDITION.FAILED');
      sinon.assert.notCalled(mongo.users.updateMany);
    });

    it('finds by _id and by email with one exact-match filter each', async () => {
      const user = aUser({ profile: { tags: ['x'] } });
      mongo.users.cursor.toArray.resolves([documentOf(user)]);
      expect(await store.findById(user.id)).to.deep.equal(user);
      expect(await store.findByEmail(user.email)).to.deep.equal(user);
      expect(mongo.users.find.args).to.deep.equal([
        // Not soft-deleted: `deletedAt: null` matches null and absent (documents from before it existed).
        [{ _id: user.id, deletedAt: null }, {}],
        [{ email: user.email, deletedAt: null }, {}],
      ]);
      sinon.assert.alwaysCalledWithExactly(mongo.users.cursor.limit, 1);
    });

    it('pages on (createdAt, _id) past the cursor, not deleted, one extra to see what follows', async () => {
      const [a, b, c] = [aUser(), aUser(), aUser()];
      mongo.users.cursor.toArray.resolves([a, b, c].map(documentOf));
      const after = { value: '2026-01-02T03:04:05.678Z', id: v7() };
      const page = await store.list({ limit: 2, after, email: a.email });
      const at = new Date(after.value);
      sinon.assert.calledOnceWithExactly(
        mongo.users.find,
        {
          $and: [
            { listStatus: { $ne: 'deleted' } },
            { email: a.email },
            { $or: [{ createdAt: { $gt: at } }, { createdAt: at, _id: { $gt: after.id } }] },
          ],
        },
        {},
      );
      sinon.assert.calledOnceWithExactly(mongo.users.cursor.sort, [
        ['createdAt', 1],
        ['_id', 1],
      ]);
      sinon.assert.calledOnceWithExactly(mongo.users.cursor.limit, 3);
      expect(page).to.deep.equal({ items: [a, b], last: { value: b.createdAt.toISOString(), id: b.id } });
    });

    it('lists users not deleted, newest last, when no filter is given', async () => {
      expect(await store.list({ limit: 5 })).to.deep.equal({ items: [], last: null });
      sinon.assert.calledOnceWithExactly(mongo.users.find, { $and: [{ listStatus: { $ne: 'deleted' } }] }, {});
    });

    it('deletes by _id and answers whether a document went', async () => {
      await expectDeletesById(mongo.users, (id) => store.delete(id));
    });

    it("checks the user owns no file rows first, then deletes the user's refresh tokens and spends, as SQL's keys do", async () => {
      const id = v7();
      mongo.users.deleteMany.resolves({ deletedCount: 1 });
      mongo.tokens.deleteMany.resolves({ deletedCount: 3 });
      expect(await store.delete(id)).to.equal(true);
      sinon.assert.calledOnceWithExactly(mongo.files.countDocuments, { ownerId: id }, {});
      sinon.assert.calledOnceWithExactly(mongo.tokens.deleteMany, { userId: id }, {});
      sinon.assert.calledOnceWithExactly(mongo.spends.deleteMany, { userId: id }, {});
      sinon.assert.callOrder(
        mongo.files.countDocuments,
        mongo.users.deleteMany,
        mongo.tokens.deleteMany,
        mongo.spends.deleteMany,
      );
    });

    it('deletes the tokens and spends of a user already gone too, so a retry finishes a half-done delete', async () => {
      const id = v7();
      expect(await store.delete(id)).to.equal(false);
      sinon.assert.calledOnceWithExactly(mongo.tokens.deleteMany, { userId: id }, {});
      sinon.assert.calledOnceWithExactly(mongo.spends.deleteMany, { userId: id }, {});
    });

    it('keeps a user who still owns file rows, and their tokens, rejecting as the SQL foreign key does', async () => {
      const id = v7();
      mongo.files.countDocuments.resolves(1);
      const error = await rejectionOf(store.delete(id));
      expect(error.message).to.match(/still owns file rows/);
      sinon.assert.notCalled(mongo.users.deleteMany);
      sinon.assert.notCalled(mongo.tokens.deleteMany);
      sinon.assert.notCalled(mongo.spends.deleteMany);
    });

    it('sends nothing for ids that are not UUIDs, and refuses a cursor that is not one', async () => {
      expect(await store.findById('not-a-uuid')).to.equal(null);
      expect(await store.delete('not-a-uuid')).to.equal(false);
      expect((await rejectionOf(store.update(aUser({ id: 'not-a-uuid' })))).code).to.equal('USER.NOT_FOUND');
      expect(
        (await rejectionOf(store.list({ limit: 1, after: { value: '2026-01-01T00:00:00Z', id: "x' || '1'=='1" } })))
          .code,
      ).to.equal('REQUEST.INVALID');
      for (const call of [mongo.users, mongo.files, mongo.tokens, mongo.spends].flatMap(serverCalls))
        sinon.assert.notCalled(call);
    });
  });

  describe('driver errors', () => {
    it('maps a duplicate key on the email index to USER.EMAIL_TAKEN, as SQL does', async () => {
      mongo.users.insertOne.rejects(duplicateKey('users_email_unique', 'email'));
      expect((await rejectionOf(store.create(aUser()))).code).to.equal('USER.EMAIL_TAKEN');
      const user = aUser();
      mongo.users.cursor.toArray.resolves([documentOf(user)]);
      mongo.users.updateMany.rejects(duplicateKey('users_email_unique', 'email'));
      expect((await rejectionOf(store.update(user))).code).to.equal('USER.EMAIL_TAKEN');
      // The failed write gives its claim back, so the next write of that version is not refused.
      sinon.assert.calledOnceWithExactly(mongo.versionClaims.deleteMany, { _id: `users:${user.id}:2` }, {});
    });

    it('does not call a duplicate _id an email clash', async () => {
      mongo.users.insertOne.rejects(duplicateKey('_id_', '_id'));
      const error = await rejectionOf(store.create(aUser()));
      expect(error.code).to.equal(11000);
      expect(error.name).to.equal('UniqueConstraintViolationException');
      sinon.assert.notCalled(mongo.users.countDocuments);
    });

    const unavailable: Array<[string, () => Error]> = [
      [
        'no server selectable (MongoServerSelectionError)',
        () => new MongoServerSelectionError('Server selection timed out after 5000 ms', { type: 'Unknown' } as never),
      ],
      ['a dropped socket (MongoNetworkError)', () => new MongoNetworkError('connection 3 to 10.0.0.5:27017 closed')],
      [
        'no free pooled connection in time (wait queue timeout)',
        () =>
          new WaitQueueTimeoutError('Timed out while checking out a connection from connection pool', '10.0.0.5:27017'),
      ],
      [
        'a primary that stepped down (NotWritablePrimary)',
        () => new MongoServerError({ code: 10107, errmsg: 'not primary' }),
      ],
    ];
    for (const [what, make] of unavailable) {
      it(`answers DB.UNAVAILABLE for ${what}, keeping the driver error as cause`, async () => {
        const driverError = make();
        mongo.users.insertOne.rejects(driverError);
        mongo.users.cursor.toArray.rejects(driverError);
        const errors = await Promise.all([rejectionOf(store.create(aUser())), rejectionOf(store.findById(v7()))]);
        expect(errors.map((e) => e.code)).to.deep.equal(['DB.UNAVAILABLE', 'DB.UNAVAILABLE']);
        expect((errors[0]!.cause as Error).cause).to.equal(driverError);
      });
    }

    it('lets any other driver error through unchanged in kind', async () => {
      mongo.users.cursor.toArray.rejects(new MongoServerError({ code: 2, errmsg: 'BadValue' }));
      const error = await rejectionOf(store.findByEmail('a@example.com'));
      expect(error.code).to.equal(2);
    });
  });
});
