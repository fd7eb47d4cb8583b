import { multipartAssertions } from './file-store/multipart.contract.js';
import { lockAssertions } from './file-store/object-lock.contract.js';
import { objectAssertions } from './file-store/objects.contract.js';
import { presignedUrlAssertions } from './file-store/presigned-urls.contract.js';
import { versionAssertions } from './file-store/versions.contract.js';
import type { FileStoreFixture, StoreAbilities } from './file-store/fixture.js';

export type { FileStoreFixture, StoreAbilities } from './file-store/fixture.js';

/** The same assertions for every FileStore adapter, capability by capability (see ./file-store/). */
export function fileStoreContract(name: string, abilities: StoreAbilities, make: () => Promise<FileStoreFixture>) {
  describe(`FileStore contract: ${name}`, function () {
    this.timeout(60_000);
    let fx: FileStoreFixture;
    beforeEach(async () => {
      fx = await make();
    });
    afterEach(async () => fx.cleanup());

    objectAssertions(() => fx, abilities);
    presignedUrlAssertions(() => fx, abilities);
    multipartAssertions(() => fx, abilities);
    versionAssertions(() => fx, abilities);
    lockAssertions(() => fx, abilities);
  });
}
