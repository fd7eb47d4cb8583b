import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { v7 } from 'uuid';
import { S3FileStore } from '../../../src/adapters/files/s3/s3-file-store.js';
import { multipartEtag } from '../../../src/adapters/files/store-rules.js';
import { FileKey } from '../../../src/domain/file/file-key.js';
import { md5 } from '../../support/file-bytes.js';
import { sendPart } from '../../support/file-http.js';
import { motoS3Client, openUploads, useMotoBucket } from '../../support/moto.js';
import { rejectionOf } from '../../support/rejection.js';
import { s3StoreSettings } from '../../support/s3-store-settings.js';
import { smallPages } from '../../support/small-pages.js';

const MIB = 1024 * 1024;

describe('S3FileStore on moto: multipart uploads and pre-signed URLs', function () {
  this.timeout(30_000);
  const s3 = useMotoBucket({ versioning: true, objectLock: true });
  let store: S3FileStore;
  let key: FileKey;
  const storeOn = (on: S3Client) => new S3FileStore(on, s3StoreSettings(s3.bucket.name, { sse: { mode: 'AES256' } }));
  const put = (uploadId: string, partNumber: number, bytes: Buffer<ArrayBuffer>) =>
    sendPart(store, key, uploadId, partNumber, bytes);
  const uploadsOf = (key: FileKey) => openUploads(s3.client, s3.bucket.name, key.value);

  before(() => {
    store = storeOn(s3.client);
  });
  beforeEach(() => {
    key = FileKey.for(v7(), v7());
  });

  it('lists every part received, with its ETag and size, following the pages', async () => {
    const paged = motoS3Client(s3.moto);
    // Two parts a page, so five parts take three.
    const seen = smallPages(paged, 'ListPartsCommand', 'MaxParts', 2);
    const parts = [1, 2, 3, 4, 5].map((n) => randomBytes(1000 * n));
    const uploadId = await store.createMultipart(key, { contentType: 'text/plain' });
    for (const [i, bytes] of parts.entries()) await put(uploadId, i + 1, bytes);
    const listed = await storeOn(paged).listParts(key, uploadId);
    expect(listed).to.deep.equal(parts.map((b, i) => ({ partNumber: i + 1, etag: md5(b), size: b.length })));
    expect(seen.pages).to.equal(3);
    await store.abortMultipart(key, uploadId);
    paged.destroy();
  });

  it("completes with the parts given, ETags quoted or not, into S3's md5-of-md5s ETag and a new version", async () => {
    const parts = [randomBytes(5 * MIB), randomBytes(1000)];
    const uploadId = await store.createMultipart(key, { contentType: 'video/mp4' });
    const etags = [await put(uploadId, 1, parts[0]!), await put(uploadId, 2, parts[1]!)];
    expect(etags[0]).to.match(/^"[0-9a-f]{32}"$/);
    const done = await store.completeMultipart(key, uploadId, [
      { partNumber: 1, etag: etags[0]! },
      { partNumber: 2, etag: etags[1]!.replace(/"/g, '') },
    ]);
    expect(done.etag).to.equal(multipartEtag(parts.map((p) => md5(p))));
    const head = await store.head(key);
    expect([head.versionId, head.size, head.contentType, head.etag]).to.deep.equal([
      done.versionId,
      5 * MIB + 1000,
      'video/mp4',
      done.etag,
    ]);
    expect(await uploadsOf(key)).to.deep.equal([]);
  });

  it('answers FILE.UPLOAD_INCOMPLETE when a part before the last is under 5 MiB (EntityTooSmall)', async () => {
    const uploadId = await store.createMultipart(key, { contentType: 'text/plain' });
    const etags = [await put(uploadId, 1, randomBytes(1000)), await put(uploadId, 2, randomBytes(1000))];
    const completion = store.completeMultipart(
      key,
      uploadId,
      etags.map((etag, i) => ({ partNumber: i + 1, etag })),
    );
    expect((await rejectionOf(completion)).code).to.equal('FILE.UPLOAD_INCOMPLETE');
    await store.abortMultipart(key, uploadId);
  });

  it('aborts an upload: its parts are gone, ListMultipartUploads no longer shows it, and aborting again succeeds', async () => {
    const uploadId = await store.createMultipart(key, { contentType: 'text/plain' });
    for (const n of [1, 2, 3]) await put(uploadId, n, randomBytes(1000));
    expect(await uploadsOf(key)).to.deep.equal([uploadId]);
    await store.abortMultipart(key, uploadId);
    expect((await rejectionOf(store.listParts(key, uploadId))).code).to.equal('FILE.NOT_FOUND');
    expect(await uploadsOf(key)).to.deep.equal([]);
    await store.abortMultipart(key, uploadId);
  });

  it('signs path-style PUT and GET URLs for the lifetime granted, which plain fetch can use', async () => {
    const bytes = randomBytes(3000);
    const put = await store.presignPut(key, {
      contentType: 'text/csv',
      contentLength: bytes.length,
      expiresInSeconds: 60,
    });
    const get = await store.presignGet(key, { expiresInSeconds: 10 ** 6 });
    for (const [signed, seconds] of [
      [put, 60],
      [get, 900],
    ] as const) {
      const url = new URL(signed.url);
      expect([url.origin, url.pathname, url.searchParams.get('X-Amz-Expires')]).to.deep.equal([
        s3.moto.endpoint,
        `/${s3.bucket.name}/${key.value}`,
        String(seconds),
      ]);
      expect((signed.expiresAt.getTime() - Date.now()) / 1000).to.be.within(seconds - 5, seconds);
    }
    expect((await fetch(put.url, { method: 'PUT', headers: put.headers, body: bytes })).status).to.equal(200);
    const res = await fetch(get.url);
    expect([res.status, res.headers.get('content-type')]).to.deep.equal([200, 'text/csv']);
    expect(Buffer.from(await res.arrayBuffer())).to.deep.equal(bytes);
  });
});
