import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { FileKey } from '../../../../src/domain/file/file-key.js';
import type { FileStore } from '../../../../src/domain/ports/file-store.js';
import { md5, readAll } from '../../../support/file-bytes.js';
import { sendPart } from '../../../support/file-http.js';
import { rejectionOf } from '../../../support/rejection.js';
import { aKey, MIB, notHere, type FileStoreFixture, type StoreAbilities } from './fixture.js';

/** Sends each part to its pre-signed URL; the refs to complete with, in part-number order. */
async function sendParts(store: FileStore, key: FileKey, uploadId: string, parts: Buffer<ArrayBuffer>[]) {
  const refs = [];
  for (const [i, bytes] of parts.entries())
    refs.push({ partNumber: i + 1, etag: await sendPart(store, key, uploadId, i + 1, bytes) });
  return refs;
}

/** Multipart uploads sent to pre-signed part URLs: assembly, the checks on completion, abort. */
export function multipartAssertions(fx: () => FileStoreFixture, abilities: StoreAbilities) {
  const { server } = abilities;
  it('assembles a multipart upload sent to pre-signed part URLs', async () => {
    const key = aKey();
    const parts = [randomBytes(5 * MIB), randomBytes(MIB + 3)];
    const uploadId = await fx().store.createMultipart(key, { contentType: 'video/mp4' });
    const refs = await sendParts(fx().store, key, uploadId, parts);
    if (abilities.multipartLifecycle) {
      const listed = await fx().store.listParts(key, uploadId);
      expect(listed).to.deep.equal(parts.map((b, i) => ({ partNumber: i + 1, etag: md5(b), size: b.length })));
    }
    const done = await fx().store.completeMultipart(key, uploadId, refs);
    if (abilities.checksParts) expect(done.etag).to.match(/^[0-9a-f]{32}-2$/);
    const head = await fx().store.head(key);
    expect([head.size, head.contentType]).to.deep.equal([6 * MIB + 3, 'video/mp4']);
    expect(await readAll((await fx().store.get(key)).body)).to.deep.equal(Buffer.concat(parts));
  });

  it('refuses to complete with a part it did not receive', async function () {
    if (!abilities.checksParts) return notHere(this, 'this backend does not check part ETags');
    const key = aKey();
    const uploadId = await fx().store.createMultipart(key, { contentType: 'text/plain' });
    const error = await rejectionOf(
      fx().store.completeMultipart(key, uploadId, [{ partNumber: 1, etag: md5(Buffer.from('x')) }]),
    );
    expect(error.code).to.equal('FILE.UPLOAD_INCOMPLETE');
  });

  // Both parts of 5 MiB, so that only the order is wrong.
  const completeOutOfOrder = async () => {
    const key = aKey();
    const parts = [randomBytes(5 * MIB), randomBytes(5 * MIB)];
    const uploadId = await fx().store.createMultipart(key, { contentType: 'text/plain' });
    const [first, second] = await sendParts(fx().store, key, uploadId, parts);
    return { key, parts, completion: fx().store.completeMultipart(key, uploadId, [second!, first!]) };
  };
  if (abilities.checksPartOrder) {
    it('refuses to complete with the parts out of order', async () => {
      const { completion } = await completeOutOfOrder();
      expect((await rejectionOf(completion)).code).to.equal('FILE.UPLOAD_INCOMPLETE');
    });
  } else {
    it(`completes with the parts listed out of order, in that order (${server} does not check the order; real S3 answers InvalidPartOrder)`, async () => {
      const { key, parts, completion } = await completeOutOfOrder();
      await completion;
      expect(await readAll((await fx().store.get(key)).body)).to.deep.equal(Buffer.concat([parts[1]!, parts[0]!]));
    });
  }

  it('aborts a multipart upload so that nothing of it remains, and aborting again succeeds', async function () {
    if (!abilities.multipartLifecycle) return notHere(this, 'this backend has no ListParts/AbortMultipartUpload');
    const key = aKey();
    const uploadId = await fx().store.createMultipart(key, { contentType: 'text/plain' });
    const signed = await fx().store.presignPart(key, uploadId, 1, { expiresInSeconds: 60, contentLength: 1024 });
    expect((await fetch(signed.url, { method: 'PUT', body: randomBytes(1024) })).status).to.equal(200);
    await fx().store.abortMultipart(key, uploadId);
    expect((await rejectionOf(fx().store.listParts(key, uploadId))).code).to.equal('FILE.NOT_FOUND');
    await fx().store.abortMultipart(key, uploadId);
    expect((await rejectionOf(fx().store.head(key))).code).to.equal('FILE.NOT_FOUND');
  });

  if (abilities.bindsUploadsToKeys) {
    it("leaves another key's multipart upload alone when asked to abort it", async () => {
      const key = aKey();
      const uploadId = await fx().store.createMultipart(key, { contentType: 'text/plain' });
      await fx().store.abortMultipart(aKey(), uploadId);
      expect(await fx().store.listParts(key, uploadId)).to.deep.equal([]);
    });
  } else {
    it(`aborts an upload when asked on another key's path (${server} ignores which key an upload id belongs to; real S3 answers NoSuchUpload and keeps it)`, async () => {
      const key = aKey();
      const uploadId = await fx().store.createMultipart(key, { contentType: 'text/plain' });
      await fx().store.abortMultipart(aKey(), uploadId);
      expect((await rejectionOf(fx().store.listParts(key, uploadId))).code).to.equal('FILE.NOT_FOUND');
    });
  }
}
