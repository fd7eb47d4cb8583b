import { expect } from 'chai';
import type { FileCatalog } from '../../../src/domain/ports/file-catalog.js';
import type { UserStore } from '../../../src/domain/ports/user-store.js';
import { aStoredFile } from '../../support/builders.js';
import { rejectionOf } from '../../support/rejection.js';

/** A catalog and the user store beside it, on one database that knows who owns what (SQL's keys, Mongo's checks). */
export function fileOwnerAssertions(
  stores: () => { catalog: FileCatalog; users: UserStore },
  newOwnerId: () => Promise<string>,
) {
  it('keeps a user with file rows from being deleted until the rows are gone', async () => {
    const { catalog, users } = stores();
    const file = aStoredFile({ ownerId: await newOwnerId() });
    await catalog.create(file);
    await rejectionOf(users.delete(file.ownerId));
    expect(await users.findById(file.ownerId)).to.not.equal(null);
    expect(await catalog.findById(file.id)).to.deep.equal(file);
    await catalog.delete(file.id);
    expect(await users.delete(file.ownerId)).to.equal(true);
  });
}
