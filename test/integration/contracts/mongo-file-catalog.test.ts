import { expect } from 'chai';
import { MongoFileCatalog } from '../../../src/adapters/persistence/mongo/mongo-file-catalog.js';
import { FILES_OWNER_INDEX, MongoFileSchema } from '../../../src/adapters/persistence/mongo/mongo-file-schema.js';
import { MongoUserSchema } from '../../../src/adapters/persistence/mongo/mongo-user-schema.js';
import { MongoUserStore } from '../../../src/adapters/persistence/mongo/mongo-user-store.js';
import type { FileCatalog } from '../../../src/domain/ports/file-catalog.js';
import { aStoredFile, aUserIn } from '../../support/builders.js';
import { commandsSentDuring, emptyCollections, useTestMongo } from '../../support/mongo.js';
import { rejectionOf } from '../../support/rejection.js';
import { fileCatalogContract } from './file-catalog.contract.js';
import { fileOwnerAssertions } from './file-owners.contract.js';

/** The unchanged FileCatalog contract on a real MongoDB (MONGO_URL), in a database of its own. */
describe('MongoDB (MONGO_URL)', function () {
  const ormOf = useTestMongo({ monitorCommands: true });
  // Owners are real users: the catalog checks them, as SQL's foreign key does.
  const newOwnerId = async () => (await aUserIn(new MongoUserStore(ormOf()))).id;
  const cleanup = () => emptyCollections(ormOf(), MongoFileSchema, MongoUserSchema);

  fileCatalogContract('MongoDB', async () => ({ catalog: new MongoFileCatalog(ormOf()), newOwnerId, cleanup }));

  describe('files and their owners on MongoDB, without foreign keys', () => {
    afterEach(cleanup);

    it('refuses a file whose owner does not exist as USER.NOT_FOUND, storing nothing', async () => {
      const catalog = new MongoFileCatalog(ormOf());
      const file = aStoredFile();
      expect((await rejectionOf(catalog.create(file))).code).to.equal('USER.NOT_FOUND');
      expect(await catalog.findById(file.id)).to.equal(null);
    });

    fileOwnerAssertions(
      () => ({ catalog: new MongoFileCatalog(ormOf()), users: new MongoUserStore(ormOf()) }),
      newOwnerId,
    );

    it('has the (ownerId, _id) index after boot', async () => {
      const indexes = await ormOf().em.getDriver().getConnection().getCollection('files').listIndexes().toArray();
      expect(indexes.find((i) => i.name === FILES_OWNER_INDEX)?.key).to.deep.equal({ ownerId: 1, _id: 1 });
    });
  });

  describe('operator injection on MongoDB (defence in depth behind the HTTP validation)', () => {
    const attempts: Array<[string, (c: FileCatalog) => Promise<unknown>]> = [
      ['findById({ $ne: null })', (c) => c.findById({ $ne: null } as never)],
      ['list({ ownerId: { $ne: null } })', (c) => c.list({ limit: 10, ownerId: { $ne: null } as never })],
      ['list({ after: { $gt: "" } })', (c) => c.list({ limit: 10, after: { $gt: '' } as never })],
      ['list({ limit: { $gt: 0 } })', (c) => c.list({ limit: { $gt: 0 } as never })],
      ['listByOwner({ $exists: true })', (c) => c.listByOwner({ $exists: true } as never)],
      ['delete({ $ne: null })', (c) => c.delete({ $ne: null } as never)],
      ['create with ownerId { $ne: null }', (c) => c.create(aStoredFile({ ownerId: { $ne: null } as never }))],
      [
        'create with a name { $where: ... }',
        (c) => c.create(aStoredFile({ name: { $where: 'sleep(5000)' } as never })),
      ],
      ['create with size { $inc: 1 }', (c) => c.create(aStoredFile({ size: { $inc: 1 } as never }))],
      ['create with a negative size', (c) => c.create(aStoredFile({ size: -1 }))],
      ['create with an unknown status', (c) => c.create(aStoredFile({ status: 'deleted' as never }))],
      ['update with id { $ne: null }', (c) => c.update(aStoredFile({ id: { $ne: null } as never }))],
      ['update with a checksum { $gt: "" }', (c) => c.update(aStoredFile({ checksum: { $gt: '' } as never }))],
      ['update with an uploadId array', (c) => c.update(aStoredFile({ uploadId: ['u'] as never }))],
    ];
    afterEach(cleanup);
    for (const [name, attempt] of attempts) {
      it(`refuses ${name} as REQUEST.INVALID, sending nothing: it matches no stored file`, async () => {
        const catalog = new MongoFileCatalog(ormOf());
        const stored = aStoredFile({ ownerId: await newOwnerId() });
        await catalog.create(stored);
        const { result: error, sent } = await commandsSentDuring(ormOf(), () => rejectionOf(attempt(catalog)));
        expect(error.code).to.equal('REQUEST.INVALID');
        expect(sent).to.deep.equal([]);
        expect((await catalog.list({ limit: 10 })).items).to.deep.equal([stored]);
      });
    }
  });
});
