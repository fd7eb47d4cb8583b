import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { readAll } from '../../../support/file-bytes.js';
import { rejectionOf } from '../../../support/rejection.js';
import { aKey, notHere, putBytes, type FileStoreFixture, type StoreAbilities } from './fixture.js';

/** Object lock: legal holds and retention where the backend has them, a plain refusal where not. */
export function lockAssertions(fx: () => FileStoreFixture, abilities: StoreAbilities) {
  it('records a legal hold and a retention period', async function () {
    if (abilities.objectLock !== 'supported') return notHere(this, 'no object lock on this backend');
    const key = aKey();
    await putBytes(fx().store, key, randomBytes(10));
    const retainUntil = new Date('2030-01-01T00:00:00Z');
    await fx().store.setLegalHold(key, true);
    await fx().store.setRetention(key, { mode: 'GOVERNANCE', retainUntil });
    expect(await fx().store.head(key)).to.deep.include({
      legalHold: true,
      retention: { mode: 'GOVERNANCE', retainUntil },
    });
  });

  it('keeps a version under legal hold when its object is deleted: hidden, still readable by version', async function () {
    if (abilities.objectLock !== 'supported') return notHere(this, 'no object lock on this backend');
    const key = aKey();
    const bytes = randomBytes(10);
    await putBytes(fx().store, key, bytes);
    const [held] = await fx().store.listVersions(key);
    await fx().store.setLegalHold(key, true, held?.versionId);
    await fx().store.delete(key);
    expect((await rejectionOf(fx().store.head(key))).code).to.equal('FILE.NOT_FOUND');
    expect(await fx().store.listVersions(key)).to.deep.equal([{ ...held, isLatest: false }]);
    const kept = await fx().store.get(key, { versionId: held?.versionId });
    expect([await readAll(kept.body), kept.legalHold]).to.deep.equal([bytes, true]);
    await fx().store.setLegalHold(key, false, held?.versionId);
    expect((await fx().store.head(key, { versionId: held?.versionId })).legalHold).to.equal(false);
  });

  it('says plainly that it has no object lock', async function () {
    if (abilities.objectLock !== 'unsupported') return notHere(this, 'this backend supports object lock');
    const key = aKey();
    await putBytes(fx().store, key, randomBytes(10));
    expect((await rejectionOf(fx().store.setLegalHold(key, true))).code).to.equal('FILE.UNSUPPORTED');
    expect(
      (await rejectionOf(fx().store.setRetention(key, { mode: 'COMPLIANCE', retainUntil: new Date() }))).code,
    ).to.equal('FILE.UNSUPPORTED');
  });
}
