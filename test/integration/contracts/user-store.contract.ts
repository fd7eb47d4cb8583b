import type { UserStore } from '../../../src/domain/ports/user-store.js';
import { accountFieldAssertions } from './user-store/account-fields.contract.js';
import { createAndFindAssertions } from './user-store/create-find.contract.js';
import { createManyAssertions } from './user-store/create-many.contract.js';
import type { UserStoreFixture } from './user-store/fixture.js';
import { listAssertions } from './user-store/list.contract.js';
import { updateAndDeleteAssertions } from './user-store/update-delete.contract.js';
import { versionAssertions } from './user-store/versions.contract.js';

export type { UserStoreFixture } from './user-store/fixture.js';

/** The same assertions for every UserStore adapter (memory, SQLite, PostgreSQL, MongoDB), by capability. */
export function userStoreContract(name: string, makeStore: () => Promise<UserStoreFixture>) {
  describe(`UserStore contract: ${name}`, () => {
    let store: UserStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => ({ store, cleanup } = await makeStore()));
    afterEach(async () => cleanup());

    createAndFindAssertions(() => store);
    createManyAssertions(() => store);
    updateAndDeleteAssertions(() => store);
    listAssertions(() => store);
    accountFieldAssertions(() => store);
    versionAssertions(() => store);
  });
}
