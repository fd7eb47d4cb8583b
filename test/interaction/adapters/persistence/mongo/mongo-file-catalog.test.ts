import { expect } from 'chai';
import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import sinon from 'sinon';
import { v7 } from 'uuid';
import { MongoFileCatalog } from '../../../../../src/adapters/persistence/mongo/mongo-file-catalog.js';
import { ensureMongoIndexes } from '../../../../../src/adapters/persistence/mongo/open-mongo.js';
import type { StoredFile } from '../../../../../src/domain/file/stored-file.js';
import { aStoredFile } from '../../../../support/builders.js';
import { expectDeletesById, expectPageQuery, serverCalls, useStubbedMongo } from '../../../../support/mongo.js';
import { rejectionOf } from '../../../../support/rejection.js';

const documentOf = (f: StoredFile) => ({
  _id: f.id,
  ownerId: f.ownerId,
  name: f.name,
  contentType: f.contentType,
  size: f.size,
  status: f.status,
  checksum: f.checksum ?? null,
  versionId: f.versionId ?? null,
  uploadId: f.uploadId ?? null,
  createdAt: f.createdAt,
  updatedAt: f.updatedAt,
  version: f.version,
});

const at = new Date('2026-02-03T04:05:06.789Z');

describe('MongoFileCatalog (interactions with the driver collections)', () => {
  const mongo = useStubbedMongo();
  let catalog: MongoFileCatalog;
  const nothingSent = () => {
    for (const call of [mongo.files, mongo.users].flatMap(serverCalls)) sinon.assert.notCalled(call);
  };
  beforeEach(() => {
    catalog = new MongoFileCatalog(mongo.orm);
  });

  describe('what it sends', () => {
    it('counts the owner in users, then inserts one document with the UUIDv7 as _id and explicit nulls', async () => {
      const file = aStoredFile({ status: 'pending', size: 5 * 1024 ** 4, checksum: undefined, uploadId: 'u-1' });
      mongo.users.countDocuments.resolves(1);
      await catalog.create(file);
      sinon.assert.calledOnceWithExactly(mongo.users.countDocuments, { _id: file.ownerId }, {});
      sinon.assert.calledOnceWithExactly(mongo.files.insertOne, documentOf(file), {});
      sinon.assert.callOrder(mongo.users.countDocuments, mongo.files.insertOne);
    });

    it('refuses a file whose owner is not in users as USER.NOT_FOUND, inserting nothing', async () => {
      expect((await rejectionOf(catalog.create(aStoredFile()))).code).to.equal('USER.NOT_FOUND');
      sinon.assert.calledOnce(mongo.users.countDocuments);
      sinon.assert.notCalled(mongo.files.insertOne);
    });

    it('claims the next version, then updates by _id at the version read with $set of what may change, never _id, the owner or the creation time', async () => {
      const file = aStoredFile({ status: 'pending', uploadId: 'u-1', checksum: undefined });
      file.markReady({ size: 123_456_789_012, checksum: 'b'.repeat(64), versionId: 'v2' }, at);
      mongo.files.cursor.toArray.resolves([{ _id: file.id, version: 2 }]);
      mongo.files.updateMany.resolves({ matchedCount: 1, modifiedCount: 1 });
      await catalog.update(file);
      const { _id, ownerId: _o, createdAt: _c, version: _v, ...changes } = documentOf(file);
      sinon.assert.calledOnceWithExactly(
        mongo.versionClaims.insertOne,
        { _id: `files:${_id}:3`, record: `files:${_id}`, claimedAt: sinon.match.date },
        {},
      );
      sinon.assert.calledOnceWithExactly(
        mongo.files.updateMany,
        { _id, version: 2 },
        { $set: { ...changes, version: 3 } },
        {},
      );
      expect(changes.uploadId).to.equal(null);
      expect(file.version).to.equal(3);
    });

    it('answers FILE.NOT_FOUND for a file not there, claiming nothing', async () => {
      expect((await rejectionOf(catalog.update(aStoredFile()))).code).to.equal('FILE.NOT_FOUND');
      sinon.assert.notCalled(mongo.versionClaims.insertOne);
      sinon.assert.notCalled(mongo.files.updateMany);
    });

    it('finds by _id and maps nulls back to absent fields', async () => {
      const file = aStoredFile({ checksum: undefined, versionId: 'v-1' });
      mongo.files.cursor.toArray.resolves([documentOf(file)]);
      expect(await catalog.findById(file.id)).to.deep.equal(file);
      sinon.assert.calledOnceWithExactly(mongo.files.find, { _id: file.id }, {});
      sinon.assert.calledOnceWithExactly(mongo.files.cursor.limit, 1);
    });

    it("pages one owner's files with _id $gt the cursor, sorted by _id, one extra to see what follows", async () => {
      const ownerId = v7();
      const [a, b, c] = [aStoredFile({ ownerId }), aStoredFile({ ownerId }), aStoredFile({ ownerId })];
      mongo.files.cursor.toArray.resolves([a, b, c].map(documentOf));
      const after = v7();
      const page = await catalog.list({ ownerId, after, limit: 2 });
      expectPageQuery(mongo.files, { ownerId, _id: { $gt: after } }, 2);
      expect(page).to.deep.equal({ items: [a, b], last: b.id });
    });

    it('lists every owner without a filter when neither owner nor cursor is given', async () => {
      expect(await catalog.list({ limit: 5 })).to.deep.equal({ items: [], last: null });
      sinon.assert.calledOnceWithExactly(mongo.files.find, {}, {});
    });

    it("lists all of one owner's files in _id order, with no limit", async () => {
      const ownerId = v7();
      await catalog.listByOwner(ownerId);
      sinon.assert.calledOnceWithExactly(mongo.files.find, { ownerId }, {});
      sinon.assert.calledOnceWithExactly(mongo.files.cursor.sort, [['_id', 1]]);
      sinon.assert.notCalled(mongo.files.cursor.limit);
    });

    it('deletes by _id and answers whether a document went', async () => {
      await expectDeletesById(mongo.files, (id) => catalog.delete(id));
    });

    it('sends nothing for ids that are not UUIDs, and refuses a cursor that is not one', async () => {
      expect(await catalog.findById('not-a-uuid')).to.equal(null);
      expect(await catalog.delete('not-a-uuid')).to.equal(false);
      expect(await catalog.listByOwner('not-a-uuid')).to.deep.equal([]);
      expect(await catalog.list({ limit: 5, ownerId: 'not-a-uuid' })).to.deep.equal({ items: [], last: null });
      expect((await rejectionOf(catalog.update(aStoredFile({ id: 'not-a-uuid' })))).code).to.equal('FILE.NOT_FOUND');
      expect((await rejectionOf(catalog.create(aStoredFile({ ownerId: 'not-a-uuid' })))).code).to.equal(
        'USER.NOT_FOUND',
      );
      expect((await rejectionOf(catalog.list({ limit: 1, after: 'garbage' }))).code).to.equal('REQUEST.INVALID');
      nothingSent();
    });

    it('creates the (ownerId, _id) index at boot, and every owner filter it sends starts with ownerId', async () => {
      await ensureMongoIndexes(mongo.orm);
      sinon.assert.calledOnceWithExactly(
        mongo.files.createIndex,
        { ownerId: 1, _id: 1 },
        { name: 'files_owner_id_id_index', unique: false },
      );
      const ownerId = v7();
      await catalog.list({ ownerId, after: v7(), limit: 1 });
      await catalog.listByOwner(ownerId);
      for (const [filter] of mongo.files.find.args) expect(Object.keys(filter as object)[0]).to.equal('ownerId');
    });
  });

  describe('driver errors', () => {
    const unavailable: Array<[string, () => Error]> = [
      [
        'no server selectable (MongoServerSelectionError)',
        () => new MongoServerSelectionError('Server selection timed out after 5000 ms', { type: 'Unknown' } as never),
      ],
      ['a dropped socket (MongoNetworkError)', () => new MongoNetworkError('connection 3 to 10.0.0.5:27017 closed')],
      [
        'a primary that stepped down (NotWritablePrimary)',
        () => new MongoServerError({ code: 10107, errmsg: 'not primary' }),
      ],
    ];
    for (const [what, make] of unavailable) {
      it(`answers DB.UNAVAILABLE from every operation for ${what}, keeping the driver error as cause`, async () => {
        const driverError = make();
        for (const c of [mongo.files, mongo.users]) {
          for (const call of [c.insertOne, c.updateMany, c.deleteMany, c.countDocuments, c.cursor.toArray])
            call.rejects(driverError);
        }
        const errors = await Promise.all([
          rejectionOf(catalog.create(aStoredFile())),
          rejectionOf(catalog.update(aStoredFile())),
          rejectionOf(catalog.findById(v7())),
          rejectionOf(catalog.list({ limit: 1 })),
          rejectionOf(catalog.delete(v7())),
          rejectionOf(catalog.listByOwner(v7())),
        ]);
        expect(errors.map((e) => e.code)).to.deep.equal(Array(6).fill('DB.UNAVAILABLE'));
        expect((errors[0]!.cause as Error).cause).to.equal(driverError);
      });
    }

    it('answers DB.UNAVAILABLE when the insert fails after the owner was found', async () => {
      mongo.users.countDocuments.resolves(1);
      mongo.files.insertOne.rejects(new MongoNetworkError('connection reset'));
      expect((await rejectionOf(catalog.create(aStoredFile()))).code).to.equal('DB.UNAVAILABLE');
    });

    it('lets a duplicate _id through as what it is, not as an email clash', async () => {
      mongo.users.countDocuments.resolves(1);
      mongo.files.insertOne.rejects(
        new MongoServerError({
          code: 11000,
          errmsg: 'E11000 duplicate key error collection: portico.files index: _id_',
          keyPattern: { _id: 1 },
          keyValue: { _id: 'x' },
        }),
      );
      const error = await rejectionOf(catalog.create(aStoredFile()));
      expect([error.code, error.name]).to.deep.equal([11000, 'UniqueConstraintViolationException']);
    });
  });
});
