import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { v7 } from 'uuid';
import { InMemoryFileStore } from '../../../../src/adapters/files/in-memory/in-memory-file-store.js';
import type { Actor } from '../../../../src/domain/user/user.js';
import type { FileLinks } from '../../../../src/domain/ports/file-store.js';
import { ManualClock } from '../../../support/fakes.js';
import { aFileCore } from '../../../support/file-core.js';
import { putToLink } from '../../../support/file-links.js';
import { bytesStream, readAll } from '../../../support/file-bytes.js';
import { rejectionOf } from '../../../support/rejection.js';

const MIB = 1024 * 1024;
const alice: Actor = { id: v7(), role: 'user' };
const bob: Actor = { id: v7(), role: 'user' };

/** A client sending bytes to a link, as the HTTP route would pass them on; the ETag it was stored under. */
async function put(links: FileLinks, url: string, bytes: Buffer, contentType?: string): Promise<string> {
  const answer = await putToLink(links, url, bytes, contentType);
  if (answer.kind !== 'stored') throw new Error('expected a stored answer');
  return answer.etag;
}

function setUp() {
  const clock = new ManualClock(new Date());
  const store = new InMemoryFileStore({ clock, linkBaseUrl: '/v1/files/_local', presignMaxSeconds: 900 });
  return {
    ...aFileCore({ store, clock, limits: { multipartThresholdBytes: 8 * MIB, partBytes: 5 * MIB } }),
    links: store.links,
  };
}

describe('StartUpload, GetUploadProgress, CompleteUpload and AbortUpload', () => {
  it('plans one pre-signed PUT up to the threshold; the file is ready once completed', async () => {
    const { useCases: u, links } = setUp();
    const bytes = randomBytes(1000);
    const { file, upload } = await u.startUpload.execute({
      actor: alice,
      name: 'a.csv',
      contentType: 'text/csv',
      size: bytes.length,
    });
    expect(file.status).to.equal('pending');
    if (upload.kind !== 'single') throw new Error('expected a single PUT');
    expect([upload.method, upload.headers]).to.deep.equal(['PUT', { 'content-type': 'text/csv' }]);
    expect(upload.url).to.match(/^\/v1\/files\/_local\//);
    await put(links, upload.url, bytes, 'text/csv');
    const ready = await u.completeUpload.execute({ actor: alice, id: file.id });
    expect([ready.status, ready.size]).to.deep.equal(['ready', 1000]);
    expect(await readAll((await u.downloadFile.execute({ actor: alice, id: file.id })).content.body)).to.deep.equal(
      bytes,
    );
  });

  it('plans a multipart upload above the threshold, resumes after a missing part, and completes', async () => {
    const { useCases: u, links } = setUp();
    const parts = [randomBytes(5 * MIB), randomBytes(5 * MIB), randomBytes(MIB)];
    const size = 11 * MIB;
    const { file, upload } = await u.startUpload.execute({
      actor: alice,
      name: 'big.bin',
      contentType: 'application/octet-stream',
      size,
    });
    if (upload.kind !== 'multipart') throw new Error('expected a multipart plan');
    expect([upload.partSize, upload.parts.map((p) => p.partNumber)]).to.deep.equal([5 * MIB, [1, 2, 3]]);
    await put(links, upload.parts[0]!.url, parts[0]!);
    await put(links, upload.parts[2]!.url, parts[2]!);
    expect(
      (await u.getUploadProgress.execute({ actor: alice, id: file.id })).map((p) => [p.partNumber, p.size]),
    ).to.deep.equal([
      [1, 5 * MIB],
      [3, MIB],
    ]);
    expect((await rejectionOf(u.completeUpload.execute({ actor: alice, id: file.id }))).code).to.equal(
      'FILE.UPLOAD_INCOMPLETE',
    );
    await put(links, upload.parts[1]!.url, parts[1]!);
    const ready = await u.completeUpload.execute({ actor: alice, id: file.id });
    expect([ready.status, ready.size, ready.uploadId]).to.deep.equal(['ready', size, undefined]);
    expect(await readAll((await u.downloadFile.execute({ actor: alice, id: file.id })).content.body)).to.deep.equal(
      Buffer.concat(parts),
    );
    expect((await u.completeUpload.execute({ actor: alice, id: file.id })).updatedAt).to.deep.equal(ready.updatedAt);
  });

  it('completes with the parts the client names, and refuses a wrong ETag', async () => {
    const { useCases: u, links } = setUp();
    const parts = [randomBytes(5 * MIB), randomBytes(4 * MIB)];
    const { file, upload } = await u.startUpload.execute({
      actor: alice,
      name: 'x',
      contentType: 'text/plain',
      size: 9 * MIB,
    });
    if (upload.kind !== 'multipart') throw new Error('expected a multipart plan');
    const etags = [
      await put(links, upload.parts[0]!.url, parts[0]!),
      await put(links, upload.parts[1]!.url, parts[1]!),
    ];
    const wrong = [
      { partNumber: 1, etag: etags[0]! },
      { partNumber: 2, etag: 'f'.repeat(32) },
    ];
    expect((await rejectionOf(u.completeUpload.execute({ actor: alice, id: file.id, parts: wrong }))).code).to.equal(
      'FILE.UPLOAD_INCOMPLETE',
    );
    const ready = await u.completeUpload.execute({
      actor: alice,
      id: file.id,
      parts: etags.map((etag, i) => ({ partNumber: i + 1, etag })),
    });
    expect(ready.size).to.equal(9 * MIB);
  });

  it('refuses to complete a single upload nothing was sent to', async () => {
    const { useCases: u } = setUp();
    const { file } = await u.startUpload.execute({ actor: alice, name: 'x', contentType: 'text/plain', size: 10 });
    expect((await rejectionOf(u.completeUpload.execute({ actor: alice, id: file.id }))).code).to.equal(
      'FILE.UPLOAD_INCOMPLETE',
    );
  });

  it('aborts: the parts and the pending file are gone', async () => {
    const { useCases: u, links, store } = setUp();
    const { file, upload } = await u.startUpload.execute({
      actor: alice,
      name: 'x',
      contentType: 'text/plain',
      size: 9 * MIB,
    });
    if (upload.kind !== 'multipart') throw new Error('expected a multipart plan');
    await put(links, upload.parts[0]!.url, randomBytes(5 * MIB));
    await u.abortUpload.execute({ actor: alice, id: file.id });
    expect((await rejectionOf(store.listParts(file.key(), upload.uploadId))).code).to.equal('FILE.NOT_FOUND');
    expect((await rejectionOf(u.getFile.execute({ actor: alice, id: file.id }))).code).to.equal('FILE.NOT_FOUND');
  });

  it('refuses a declared size over the limit as FILE.TOO_LARGE, signing nothing', async () => {
    const { useCases: u, catalog } = setUp();
    const error = await rejectionOf(
      u.startUpload.execute({ actor: alice, name: 'x', contentType: 'text/plain', size: 65 * MIB }),
    );
    expect(error.code).to.equal('FILE.TOO_LARGE');
    expect(await catalog.listByOwner(alice.id)).to.deep.equal([]);
  });

  it("answers 404 for another user's upload on progress, complete and abort", async () => {
    const { useCases: u } = setUp();
    const { file } = await u.startUpload.execute({ actor: alice, name: 'x', contentType: 'text/plain', size: 9 * MIB });
    for (const attempt of [u.getUploadProgress, u.completeUpload, u.abortUpload].map((c) =>
      c.execute({ actor: bob, id: file.id }),
    )) {
      expect((await rejectionOf(attempt)).code).to.equal('FILE.NOT_FOUND');
    }
    expect((await u.getFile.execute({ actor: alice, id: file.id })).status).to.equal('pending');
  });

  it('has no upload to list or abort once the file is ready', async () => {
    const { useCases: u } = setUp();
    const file = await u.uploadFile.execute({ actor: alice, name: 'x', body: bytesStream(Buffer.from('abc')) });
    expect((await rejectionOf(u.getUploadProgress.execute({ actor: alice, id: file.id }))).code).to.equal(
      'FILE.NOT_FOUND',
    );
    expect((await rejectionOf(u.abortUpload.execute({ actor: alice, id: file.id }))).code).to.equal('FILE.NOT_FOUND');
  });
});
