import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { v7 } from 'uuid';
import { S3FileStore } from '../../../src/adapters/files/s3/s3-file-store.js';
import type { SseSettings } from '../../../src/adapters/files/s3/s3-requests.js';
import { FileKey } from '../../../src/domain/file/file-key.js';
import { md5, readAll } from '../../support/file-bytes.js';
import { createKmsKey, createTestBucket, motoS3Client, useMotoBucket } from '../../support/moto.js';
import { rejectionOf } from '../../support/rejection.js';
import { s3StoreSettings } from '../../support/s3-store-settings.js';
import { smallPages } from '../../support/small-pages.js';

const MIB = 1024 * 1024;

/** What S3 (moto here) says it did with a version: its encryption and lock, straight from HeadObject. */
async function headOf(client: S3Client, Bucket: string, key: FileKey, VersionId?: string) {
  const out = await client.send(new HeadObjectCommand({ Bucket, Key: key.value, VersionId }));
  return { sse: out.ServerSideEncryption, kmsKeyId: out.SSEKMSKeyId, versionId: out.VersionId };
}

describe('S3FileStore on moto: versions, object lock, encryption', function () {
  this.timeout(30_000);
  const s3 = useMotoBucket({ versioning: true, objectLock: true });
  let kmsKeyId: string;
  const storeWith = (sse?: SseSettings, on: S3Client = s3.client) =>
    new S3FileStore(on, s3StoreSettings(s3.bucket.name, { sse }));
  const put = (store: S3FileStore, key: FileKey, bytes: Buffer, contentLength: number | undefined = bytes.length) =>
    store.put(key, { body: Readable.from([bytes]), contentType: 'application/octet-stream', contentLength });
  const deleteVersion = (key: FileKey, VersionId: string | undefined, bypass = false) =>
    s3.client.send(
      new DeleteObjectCommand({
        Bucket: s3.bucket.name,
        Key: key.value,
        VersionId,
        BypassGovernanceRetention: bypass || undefined,
      }),
    );

  before(async () => {
    kmsKeyId = await createKmsKey(s3.moto);
  });

  it("lists this key's versions only, newest first, without delete markers, following the pages", async () => {
    const paged = motoS3Client(s3.moto);
    // One entry a page, so a listing of a few versions takes several.
    const seen = smallPages(paged, 'ListObjectVersionsCommand', 'MaxKeys', 1);
    const store = storeWith(undefined, paged);
    const key = FileKey.for(v7(), v7());
    const [first, second] = [randomBytes(100), randomBytes(200)];
    const stored = [await put(store, key, first), await put(store, key, second)];
    await s3.client.send(
      new PutObjectCommand({ Bucket: s3.bucket.name, Key: `${key.value}x`, Body: 'a neighbour under the same prefix' }),
    );
    await store.delete(key);
    const versions = await store.listVersions(key);
    expect(versions.map(({ versionId, size, etag, isLatest }) => ({ versionId, size, etag, isLatest }))).to.deep.equal([
      { versionId: stored[1]?.versionId, size: 200, etag: md5(second), isLatest: false },
      { versionId: stored[0]?.versionId, size: 100, etag: md5(first), isLatest: false },
    ]);
    expect(seen.pages).to.be.at.least(4);
    paged.destroy();
  });

  it('downloads an older version, and restores it on top as a new version written with SSE aws:kms', async () => {
    const store = storeWith({ mode: 'aws:kms', kmsKeyId });
    const key = FileKey.for(v7(), v7());
    const [first, second] = [randomBytes(1000), randomBytes(2000)];
    const old = await put(store, key, first);
    await put(store, key, second);
    expect(await readAll((await store.get(key, { versionId: old.versionId })).body)).to.deep.equal(first);
    const restored = await store.restoreVersion(key, old.versionId ?? '');
    expect(restored.etag).to.equal(md5(first));
    expect(await headOf(s3.client, s3.bucket.name, key)).to.deep.equal({
      sse: 'aws:kms',
      kmsKeyId,
      versionId: restored.versionId,
    });
    expect(await readAll((await store.get(key)).body)).to.deep.equal(first);
    expect((await store.listVersions(key)).map((v) => v.versionId))
      .to.have.length(3)
      .and.include(old.versionId);
  });

  it('puts a legal hold on the version asked for; S3 then refuses to delete that version, bypass or not, until it is lifted', async () => {
    const store = storeWith();
    const key = FileKey.for(v7(), v7());
    const held = await put(store, key, randomBytes(10));
    const latest = await put(store, key, randomBytes(20));
    await store.setLegalHold(key, true, held.versionId);
    expect((await store.head(key, { versionId: held.versionId })).legalHold).to.equal(true);
    expect((await store.head(key)).legalHold).to.equal(undefined);
    for (const bypass of [false, true])
      expect((await rejectionOf(deleteVersion(key, held.versionId, bypass))).name).to.equal('AccessDenied');
    await store.setLegalHold(key, false, held.versionId);
    await deleteVersion(key, held.versionId);
    expect((await store.listVersions(key)).map((v) => v.versionId)).to.deep.equal([latest.versionId]);
  });

  it('sets GOVERNANCE retention on the latest version; S3 refuses to delete it unless governance is bypassed', async () => {
    const store = storeWith();
    const key = FileKey.for(v7(), v7());
    const { versionId } = await put(store, key, randomBytes(10));
    const retainUntil = new Date(Math.ceil(Date.now() / 1000) * 1000 + 86_400_000);
    await store.setRetention(key, { mode: 'GOVERNANCE', retainUntil });
    expect((await store.head(key)).retention).to.deep.equal({ mode: 'GOVERNANCE', retainUntil });
    expect((await rejectionOf(deleteVersion(key, versionId))).name).to.equal('AccessDenied');
    await deleteVersion(key, versionId, true);
    expect(await store.listVersions(key)).to.deep.equal([]);
  });

  it('sets COMPLIANCE retention on a version; S3 refuses to delete it even with the bypass, until the date has passed', async () => {
    const store = storeWith();
    const key = FileKey.for(v7(), v7());
    const { versionId } = await put(store, key, randomBytes(10));
    const retainUntil = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000);
    await store.setRetention(key, { mode: 'COMPLIANCE', retainUntil }, versionId);
    expect((await store.head(key, { versionId })).retention).to.deep.equal({ mode: 'COMPLIANCE', retainUntil });
    expect((await rejectionOf(deleteVersion(key, versionId, true))).name).to.equal('AccessDenied');
    await new Promise((resolve) => setTimeout(resolve, retainUntil.getTime() - Date.now() + 300));
    await deleteVersion(key, versionId);
    expect(await store.listVersions(key)).to.deep.equal([]);
  });

  it('says FILE.UNSUPPORTED for a legal hold or retention in a bucket created without object lock', async () => {
    const plain = await createTestBucket(s3.client, { versioning: true });
    const store = new S3FileStore(s3.client, s3StoreSettings(plain.name));
    const key = FileKey.for(v7(), v7());
    try {
      await put(store, key, randomBytes(10));
      expect((await rejectionOf(store.setLegalHold(key, true))).code).to.equal('FILE.UNSUPPORTED');
      expect(
        (
          await rejectionOf(
            store.setRetention(key, { mode: 'GOVERNANCE', retainUntil: new Date(Date.now() + 86_400_000) }),
          )
        ).code,
      ).to.equal('FILE.UNSUPPORTED');
    } finally {
      await plain.remove();
    }
  });

  for (const mode of ['AES256', 'aws:kms'] as const) {
    it(`writes with SSE ${mode} by every path: streamed put, parallel parts, part URLs, pre-signed PUT`, async () => {
      const sse: SseSettings = mode === 'aws:kms' ? { mode, kmsKeyId } : { mode };
      const expected = { sse: mode, kmsKeyId: mode === 'aws:kms' ? kmsKeyId : undefined };
      const store = storeWith(sse);
      const [streamed, parted, viaParts, viaUrl] = [1, 2, 3, 4].map(() => FileKey.for(v7(), v7())) as [
        FileKey,
        FileKey,
        FileKey,
        FileKey,
      ];
      await put(store, streamed, randomBytes(1000));
      expect((await put(store, parted, randomBytes(11 * MIB))).etag).to.match(/-3$/);
      const uploadId = await store.createMultipart(viaParts, { contentType: 'text/plain' });
      const part = await store.presignPart(viaParts, uploadId, 1, { expiresInSeconds: 60, contentLength: 1000 });
      const sent = await fetch(part.url, { method: 'PUT', headers: part.headers, body: randomBytes(1000) });
      await store.completeMultipart(viaParts, uploadId, [{ partNumber: 1, etag: sent.headers.get('etag') ?? '' }]);
      const signed = await store.presignPut(viaUrl, {
        contentType: 'text/csv',
        contentLength: 1000,
        expiresInSeconds: 60,
      });
      expect(signed.headers).to.include({ 'x-amz-server-side-encryption': mode });
      expect(
        (await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: randomBytes(1000) })).status,
      ).to.equal(200);
      for (const key of [streamed, parted, viaParts, viaUrl]) {
        expect(await headOf(s3.client, s3.bucket.name, key)).to.deep.include(expected);
      }
    });
  }
});
