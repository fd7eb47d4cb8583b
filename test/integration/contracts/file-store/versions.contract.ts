import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { readAll } from '../../../support/file-bytes.js';
import { rejectionOf } from '../../../support/rejection.js';
import { aKey, notHere, putBytes, type FileStoreFixture, type StoreAbilities } from './fixture.js';

/** Versions: listed newest first and restored where the backend keeps many, a single "null" one where not. */
export function versionAssertions(fx: () => FileStoreFixture, abilities: StoreAbilities) {
  it('lists versions newest first and restores an older one as the latest', async function () {
    if (abilities.versions !== 'full') return notHere(this, 'this backend keeps a single version');
    const key = aKey();
    const [first, second] = [randomBytes(100), randomBytes(200)];
    await putBytes(fx().store, key, first);
    await putBytes(fx().store, key, second);
    const versions = await fx().store.listVersions(key);
    expect(versions.map((v) => [v.size, v.isLatest])).to.deep.equal([
      [200, true],
      [100, false],
    ]);
    const restored = await fx().store.restoreVersion(key, versions[1]?.versionId ?? '');
    expect(restored.versionId).to.be.a('string').and.not.equal(versions[1]?.versionId);
    expect(await readAll((await fx().store.get(key)).body)).to.deep.equal(first);
    expect(await readAll((await fx().store.get(key, { versionId: versions[0]?.versionId })).body)).to.deep.equal(
      second,
    );
    expect(await fx().store.listVersions(key)).to.have.length(3);
  });

  it('reports its single version as "null", as S3 does for an unversioned bucket', async function () {
    if (abilities.versions !== 'single') return notHere(this, 'this backend keeps many versions');
    const key = aKey();
    await putBytes(fx().store, key, randomBytes(100));
    const [only, ...rest] = await fx().store.listVersions(key);
    expect(rest).to.have.length(0);
    expect(only).to.deep.include({ versionId: 'null', size: 100, isLatest: true });
    await fx().store.restoreVersion(key, 'null');
    expect((await rejectionOf(fx().store.restoreVersion(key, 'v2'))).code).to.equal('FILE.NOT_FOUND');
  });
}
