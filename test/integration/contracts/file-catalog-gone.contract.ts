import { expect } from 'chai';
import type { StoredFile } from '../../../src/domain/file/stored-file.js';
import { aStoredFile } from '../../support/builders.js';
import type { FileCatalogFixture } from './file-catalog.contract.js';

const ids = (files: StoredFile[]) => files.map((f) => f.id);
const byId = (a: StoredFile, b: StoredFile) => (a.id < b.id ? -1 : 1);

/** Files whose object was removed outside the API: kept as rows, left out where asked, never swept. */
export function fileGoneAssertions(fixture: () => FileCatalogFixture) {
  describe('gone files', () => {
    /** One owner's files in id order, the 2nd and 4th marked gone through `update`. */
    async function someGone(): Promise<{ all: StoredFile[]; gone: StoredFile[]; ownerId: string }> {
      const { catalog, newOwnerId } = fixture();
      const ownerId = await newOwnerId();
      const all = Array.from({ length: 5 }, () => aStoredFile({ ownerId, versionId: 'v1' })).sort(byId);
      for (const file of all) await catalog.create(file);
      const gone = [all[1]!, all[3]!];
      for (const file of gone) {
        file.markGone(new Date('2026-03-02T00:00:00.000Z'));
        await catalog.update(file);
      }
      return { all, gone, ownerId };
    }

    it('keeps a file marked gone with every field, and takes it back to ready', async () => {
      const { catalog } = fixture();
      const { gone } = await someGone();
      const file = gone[0]!;
      expect(await catalog.findById(file.id)).to.deep.equal(file);
      expect(file).to.deep.include({ status: 'gone', versionId: 'v1', version: 2 });
      file.markReady({ size: 9, versionId: 'v2' }, new Date('2026-03-03T00:00:00.000Z'));
      await catalog.update(file);
      expect(await catalog.findById(file.id)).to.deep.equal(file);
    });

    it('creates a row already gone', async () => {
      const { catalog, newOwnerId } = fixture();
      const file = aStoredFile({ ownerId: await newOwnerId(), status: 'gone' });
      await catalog.create(file);
      expect((await catalog.findById(file.id))?.status).to.equal('gone');
    });

    it('lists only the statuses asked for, paging past the gone ones, and every status when none is asked', async () => {
      const { catalog } = fixture();
      const { all, gone, ownerId } = await someGone();
      const shown = all.filter((f) => !gone.includes(f));
      const statuses = ['pending', 'ready'] as const;
      const first = await catalog.list({ ownerId, limit: 2, statuses });
      const second = await catalog.list({ ownerId, limit: 2, statuses, after: first.last! });
      expect([ids(first.items), ids(second.items)]).to.deep.equal([ids(shown.slice(0, 2)), ids(shown.slice(2))]);
      expect([first.last, second.last]).to.deep.equal([shown[1]!.id, null]);
      expect(ids((await catalog.list({ ownerId, limit: 10, statuses: ['gone'] })).items)).to.deep.equal(ids(gone));
      expect(ids((await catalog.list({ ownerId, limit: 10 })).items)).to.deep.equal(ids(all));
      expect(ids((await catalog.list({ limit: 10, statuses: ['gone'] })).items)).to.deep.equal(ids(gone));
    });

    it("keeps gone files in an owner's files for deletion, and out of the pending uploads to sweep", async () => {
      const { catalog } = fixture();
      const { all, ownerId } = await someGone();
      expect(ids(await catalog.listByOwner(ownerId))).to.deep.equal(ids(all));
      const later = new Date('2027-01-01T00:00:00.000Z');
      const swept = ids(await catalog.listPendingCreatedBefore(later, 10));
      expect(swept.filter((id) => ids(all).includes(id))).to.deep.equal([]);
    });
  });
}
