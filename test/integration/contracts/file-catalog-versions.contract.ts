import { expect } from 'chai';
import { aStoredFile } from '../../support/builders.js';
import { rejectionOf } from '../../support/rejection.js';
import type { FileCatalogFixture } from './file-catalog.contract.js';

/** Stored versions of file rows, and writes conditional on one (If-Match): atomic in the catalog. */
export function fileVersionAssertions(fixture: () => FileCatalogFixture) {
  describe('versions', () => {
    const created = async () => {
      const file = aStoredFile({ ownerId: await fixture().newOwnerId(), status: 'pending' });
      await fixture().catalog.create(file);
      return file;
    };

    it('starts a row at version 1 and adds 1 on every write, telling the writer the version stored', async () => {
      const { catalog } = fixture();
      const file = await created();
      expect((await catalog.findById(file.id))?.version).to.equal(1);
      file.name = 'once.txt';
      await catalog.update(file);
      expect(file.version).to.equal(2);
      await catalog.update(file, 2);
      expect(file.version).to.equal(3);
      expect((await catalog.findById(file.id))?.version).to.equal(3);
      expect((await catalog.list({ limit: 10, ownerId: file.ownerId })).items[0]?.version).to.equal(3);
    });

    it('refuses an update or a delete expecting another version as PRECONDITION.FAILED, changing nothing', async () => {
      const { catalog } = fixture();
      const file = await created();
      const changed = Object.assign(aStoredFile({ id: file.id, ownerId: file.ownerId }), { name: 'changed.txt' });
      expect((await rejectionOf(catalog.update(changed, 2))).code).to.equal('PRECONDITION.FAILED');
      expect((await rejectionOf(catalog.delete(file.id, 2))).code).to.equal('PRECONDITION.FAILED');
      expect(await catalog.findById(file.id)).to.deep.equal(file);
      expect(await catalog.delete(file.id, 1)).to.equal(true);
      expect(await catalog.delete(file.id, 1)).to.equal(false);
      expect((await rejectionOf(catalog.update(file, 1))).code).to.equal('FILE.NOT_FOUND');
    });

    it('lets exactly one of 6 concurrent updates expecting the same version win', async () => {
      const { catalog } = fixture();
      const file = await created();
      const writers = Array.from({ length: 6 }, (_, i) =>
        Object.assign(aStoredFile({ id: file.id, ownerId: file.ownerId, status: 'pending' }), { name: `w${i}.txt` }),
      );
      const outcomes = await Promise.allSettled(writers.map((w) => catalog.update(w, 1)));
      const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [writers[i]!] : []));
      expect(won).to.have.length(1);
      for (const o of outcomes)
        if (o.status === 'rejected') expect((o.reason as { code?: string }).code).to.equal('PRECONDITION.FAILED');
      expect(await catalog.findById(file.id)).to.deep.include({ name: won[0]!.name, version: 2 });
    });
  });
}
