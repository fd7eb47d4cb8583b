import { expect } from 'chai';
import { StoredFile } from '../../../src/domain/file/stored-file.js';
import type { FileCatalog } from '../../../src/domain/ports/file-catalog.js';
import { aStoredFile } from '../../support/builders.js';
import { rejectionOf } from '../../support/rejection.js';
import { fileGoneAssertions } from './file-catalog-gone.contract.js';
import { fileVersionAssertions } from './file-catalog-versions.contract.js';

export interface FileCatalogFixture {
  catalog: FileCatalog;
  /** An owner the catalog accepts (a user row, where the backend checks). */
  newOwnerId(): Promise<string>;
  cleanup(): Promise<void>;
}

const ids = (files: StoredFile[]) => files.map((f) => f.id);

/** The same assertions for every FileCatalog adapter: memory, SQLite, PostgreSQL. */
export function fileCatalogContract(name: string, make: () => Promise<FileCatalogFixture>) {
  describe(`FileCatalog contract: ${name}`, () => {
    let fx: FileCatalogFixture;
    let catalog: FileCatalog;
    beforeEach(async () => {
      fx = await make();
      catalog = fx.catalog;
    });
    afterEach(async () => fx.cleanup());
    fileVersionAssertions(() => fx);
    fileGoneAssertions(() => fx);

    async function created(count: number, ownerId?: string): Promise<StoredFile[]> {
      const owner = ownerId ?? (await fx.newOwnerId());
      const files = Array.from({ length: count }, () => aStoredFile({ ownerId: owner }));
      for (const file of [...files].reverse()) await catalog.create(file);
      return files.sort((a, b) => (a.id < b.id ? -1 : 1));
    }

    describe('create and find', () => {
      it('finds a ready file with every field intact, sizes past 4 GiB included', async () => {
        const file = aStoredFile({
          ownerId: await fx.newOwnerId(),
          size: 5 * 1024 ** 4,
          versionId: 'v-3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY',
          name: 'Zoë „q“ "quoted".txt',
        });
        await catalog.create(file);
        const found = await catalog.findById(file.id);
        expect(found).to.be.instanceOf(StoredFile);
        expect(found).to.deep.equal(file);
      });

      it('keeps absent optional fields absent and a pending upload id as given', async () => {
        const file = aStoredFile({
          ownerId: await fx.newOwnerId(),
          status: 'pending',
          size: 0,
          checksum: undefined,
          uploadId: 'u'.repeat(300),
        });
        await catalog.create(file);
        expect(await catalog.findById(file.id)).to.deep.equal(file);
        const bare = aStoredFile({ ownerId: file.ownerId, checksum: undefined });
        await catalog.create(bare);
        const found = await catalog.findById(bare.id);
        expect([found?.checksum, found?.versionId, found?.uploadId]).to.deep.equal([undefined, undefined, undefined]);
      });

      it('answers null for an unknown id and for an id that is not a UUID', async () => {
        await created(1);
        expect(await catalog.findById(aStoredFile().id)).to.equal(null);
        expect(await catalog.findById('not-a-uuid')).to.equal(null);
      });

      it('keeps its own copy: changing a file in hand changes nothing stored', async () => {
        const [file] = await created(1);
        file!.name = 'changed after create';
        const found = await catalog.findById(file!.id);
        found!.name = 'changed after find';
        expect((await catalog.findById(file!.id))?.name).to.not.match(/^changed/);
      });
    });

    describe('update', () => {
      it('marks a pending file ready: size, checksum, version and no upload id any more', async () => {
        const file = aStoredFile({
          ownerId: await fx.newOwnerId(),
          status: 'pending',
          size: 10,
          checksum: undefined,
          uploadId: 'upload-1',
        });
        await catalog.create(file);
        file.markReady(
          { size: 123_456_789_012, checksum: 'b'.repeat(64), versionId: 'v2' },
          new Date('2026-02-03T04:05:06.789Z'),
        );
        await catalog.update(file);
        const found = await catalog.findById(file.id);
        expect(found).to.deep.equal(file);
        expect(found?.uploadId).to.equal(undefined);
      });

      it('never changes the owner or the creation time', async () => {
        const [file] = await created(1);
        const moved = aStoredFile({
          ...file!,
          ownerId: await fx.newOwnerId(),
          createdAt: new Date('2030-01-01T00:00:00Z'),
        });
        await catalog.update(moved);
        const found = await catalog.findById(file!.id);
        expect([found?.ownerId, found?.createdAt]).to.deep.equal([file!.ownerId, file!.createdAt]);
      });

      it('rejects updating a file that does not exist as FILE.NOT_FOUND', async () => {
        expect((await rejectionOf(catalog.update(aStoredFile()))).code).to.equal('FILE.NOT_FOUND');
      });
    });

    describe('delete', () => {
      it('answers true once, then false, and the file is gone', async () => {
        const [file] = await created(1);
        expect(await catalog.delete(file!.id)).to.equal(true);
        expect(await catalog.delete(file!.id)).to.equal(false);
        expect(await catalog.findById(file!.id)).to.equal(null);
      });

      it('answers false for an unknown id and for an id that is not a UUID', async () => {
        expect(await catalog.delete(aStoredFile().id)).to.equal(false);
        expect(await catalog.delete('nope')).to.equal(false);
      });
    });

    describe('list and listByOwner', () => {
      it("pages through one owner's files in id order, leaving other owners' out", async () => {
        const mine = await created(7);
        await created(3);
        const first = await catalog.list({ ownerId: mine[0]!.ownerId, limit: 3 });
        const second = await catalog.list({ ownerId: mine[0]!.ownerId, limit: 3, after: first.last! });
        const third = await catalog.list({ ownerId: mine[0]!.ownerId, limit: 3, after: second.last! });
        expect([...ids(first.items), ...ids(second.items), ...ids(third.items)]).to.deep.equal(ids(mine));
        expect([first.last, second.last, third.last]).to.deep.equal([mine[2]!.id, mine[5]!.id, null]);
      });

      it('lists every owner when no owner is given', async () => {
        const all = [...(await created(2)), ...(await created(2))].sort((a, b) => (a.id < b.id ? -1 : 1));
        expect(ids((await catalog.list({ limit: 10 })).items)).to.deep.equal(ids(all));
      });

      it('answers an empty page for an owner without files, and refuses a cursor that is not a UUID', async () => {
        await created(2);
        expect(await catalog.list({ ownerId: await fx.newOwnerId(), limit: 5 })).to.deep.equal({
          items: [],
          last: null,
        });
        expect((await rejectionOf(catalog.list({ limit: 5, after: 'garbage' }))).code).to.equal('REQUEST.INVALID');
      });

      it("returns all of one owner's files, pending ones included, for deletion", async () => {
        const mine = await created(3);
        const pending = aStoredFile({ ownerId: mine[0]!.ownerId, status: 'pending', uploadId: 'u-1' });
        await catalog.create(pending);
        await created(2);
        const listed = await catalog.listByOwner(mine[0]!.ownerId);
        expect(ids(listed)).to.deep.equal(ids([...mine, pending].sort((a, b) => (a.id < b.id ? -1 : 1))));
        expect(await catalog.listByOwner('not-a-uuid')).to.deep.equal([]);
      });
    });

    describe('listPendingCreatedBefore', () => {
      const at = (iso: string) => new Date(`2026-03-01T${iso}Z`);

      it('lists pending files created before the time, oldest first, of every owner, at most the limit', async () => {
        const [alice, bob] = [await fx.newOwnerId(), await fx.newOwnerId()];
        const pending = (ownerId: string, time: string) =>
          aStoredFile({ ownerId, status: 'pending', createdAt: at(time), updatedAt: at(time), uploadId: 'u' });
        const [late, early, middle] = [
          pending(alice, '10:00:00.000'),
          pending(bob, '08:00:00.000'),
          pending(alice, '09:00:00.000'),
        ];
        const tooYoung = pending(bob, '12:00:00.000');
        const ready = aStoredFile({ ownerId: alice, createdAt: at('07:00:00.000') });
        for (const file of [late, early, middle, tooYoung, ready]) await catalog.create(file);
        expect(ids(await catalog.listPendingCreatedBefore(at('12:00:00.000'), 10))).to.deep.equal(
          ids([early, middle, late]),
        );
        expect(ids(await catalog.listPendingCreatedBefore(at('12:00:00.000'), 2))).to.deep.equal(ids([early, middle]));
        expect(await catalog.listPendingCreatedBefore(at('08:00:00.000'), 10)).to.deep.equal([]);
        expect(await catalog.listPendingCreatedBefore(at('09:00:00.001'), 10)).to.deep.equal([early, middle]);
      });

      it('orders files created in the same millisecond by id', async () => {
        const owner = await fx.newOwnerId();
        const files = Array.from({ length: 3 }, () =>
          aStoredFile({ ownerId: owner, status: 'pending', createdAt: at('06:00:00.000') }),
        );
        for (const file of [...files].reverse()) await catalog.create(file);
        expect(ids(await catalog.listPendingCreatedBefore(at('07:00:00.000'), 10))).to.deep.equal(ids(files).sort());
      });
    });
  });
}
