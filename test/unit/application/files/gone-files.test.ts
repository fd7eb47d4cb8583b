import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { v7 } from 'uuid';
import { RecordObjectRemoved } from '../../../../src/application/files/record-object-removed.js';
import type { Actor } from '../../../../src/domain/user/user.js';
import { bytesStream } from '../../../support/file-bytes.js';
import { aFileCore } from '../../../support/file-core.js';
import { rejectionOf } from '../../../support/rejection.js';

const alice: Actor = { id: v7(), role: 'user' };
const bob: Actor = { id: v7(), role: 'user' };

/** Alice's file, uploaded twice through the API, whose object was then deleted outside it (a delete marker). */
async function aGoneFile() {
  const core = aFileCore();
  const upload = (size: number) => ({
    actor: alice,
    name: 'a.bin',
    contentLength: size,
    body: bytesStream(randomBytes(size)),
  });
  const kept = await core.useCases.uploadFile.execute(upload(3));
  const file = await core.useCases.uploadFile.execute(upload(5));
  const first = file.versionId as string;
  await core.store.put(file.key(), { body: bytesStream(randomBytes(8)), contentType: 'text/plain', contentLength: 8 });
  await core.store.delete(file.key());
  expect(
    await new RecordObjectRemoved(core.catalog, core.store, core.clock).execute({ key: file.key().value }),
  ).to.equal('gone');
  return { ...core, file, first, kept };
}

describe('A gone file (its object removed outside the API)', () => {
  it("is left out of its owner's list, the other files staying", async () => {
    const { useCases, kept } = await aGoneFile();
    const page = await useCases.listFiles.execute({ actor: alice, limit: 10 });
    expect(page.items.map((f) => f.id)).to.deep.equal([kept.id]);
  });

  it('answers FILE.GONE for its metadata, its content and a download link', async () => {
    const { useCases, file } = await aGoneFile();
    const asked = { actor: alice, id: file.id };
    expect((await rejectionOf(useCases.getFile.execute(asked))).code).to.equal('FILE.GONE');
    expect((await rejectionOf(useCases.downloadFile.execute(asked))).code).to.equal('FILE.GONE');
    const link = useCases.getDownloadUrl.execute({ ...asked, disposition: (n) => n });
    expect((await rejectionOf(link)).code).to.equal('FILE.GONE');
  });

  it('looks absent to another user, as any file of someone else does', async () => {
    const { useCases, file } = await aGoneFile();
    expect((await rejectionOf(useCases.getFile.execute({ actor: bob, id: file.id }))).code).to.equal('FILE.NOT_FOUND');
    const versions = useCases.listVersions.execute({ actor: bob, id: file.id });
    expect((await rejectionOf(versions)).code).to.equal('FILE.NOT_FOUND');
  });

  it('has no upload to complete', async () => {
    const { useCases, file } = await aGoneFile();
    const completed = useCases.completeUpload.execute({ actor: alice, id: file.id });
    expect((await rejectionOf(completed)).code).to.equal('FILE.NOT_FOUND');
  });

  it('is ready again at a new latest version when one of its versions is restored', async () => {
    const { useCases, file, first, catalog } = await aGoneFile();
    const restored = await useCases.restoreVersion.execute({ actor: alice, id: file.id, versionId: first });
    expect([restored.status, restored.size, restored.checksum]).to.deep.equal(['ready', 5, file.checksum]);
    expect(restored.versionId).to.be.a('string').and.not.equal(first);
    expect(await catalog.findById(file.id)).to.deep.include({ status: 'ready', versionId: restored.versionId });
    const versions = await useCases.listVersions.execute({ actor: alice, id: file.id });
    expect(versions[0]).to.deep.include({ versionId: restored.versionId, isLatest: true, size: 5 });
    const page = await useCases.listFiles.execute({ actor: alice, limit: 10 });
    expect(page.items.map((f) => f.id)).to.include(file.id);
  });

  it('is deleted, row and all, by DeleteFile', async () => {
    const { useCases, file, catalog } = await aGoneFile();
    await useCases.deleteFile.execute({ actor: alice, id: file.id });
    expect(await catalog.findById(file.id)).to.equal(null);
  });
});
