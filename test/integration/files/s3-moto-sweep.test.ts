import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { v7 } from 'uuid';
import { S3FileStore } from '../../../src/adapters/files/s3/s3-file-store.js';
import { InMemoryFileCatalog } from '../../../src/adapters/persistence/in-memory/in-memory-file-catalog.js';
import { SweepAbandonedUploads } from '../../../src/application/files/sweep-abandoned-uploads.js';
import { FileKey } from '../../../src/domain/file/file-key.js';
import type { UploadLeftovers } from '../../../src/domain/ports/file-store.js';
import type { Actor } from '../../../src/domain/user/user.js';
import { ManualClock } from '../../support/fakes.js';
import { aFileCore } from '../../support/file-core.js';
import { openUploads, useMotoBucket } from '../../support/moto.js';
import { rejectionOf } from '../../support/rejection.js';
import { s3StoreSettings } from '../../support/s3-store-settings.js';

const MIB = 1024 * 1024;
const HOUR = 3_600_000;
const NO_LEFTOVERS: UploadLeftovers = { idleSince: async () => [], discard: async () => undefined };

describe('Direct uploads to S3 on moto: part sizes and the sweep of abandoned uploads', function () {
  this.timeout(30_000);
  const s3 = useMotoBucket({});
  const alice: Actor = { id: v7(), role: 'user' };
  const storeOf = () => new S3FileStore(s3.client, s3StoreSettings(s3.bucket.name));
  const uploadsOf = (key: FileKey) => openUploads(s3.client, s3.bucket.name, key.value);

  it('signs Content-Length into every part URL StartUpload hands out, and takes parts of the planned sizes', async () => {
    const { useCases: u } = aFileCore({
      store: storeOf(),
      limits: { multipartThresholdBytes: 5 * MIB, partBytes: 5 * MIB },
    });
    const { file, upload } = await u.startUpload.execute({
      actor: alice,
      name: 'x.bin',
      contentType: 'application/octet-stream',
      size: 6 * MIB,
    });
    if (upload.kind !== 'multipart') throw new Error('expected a multipart plan');
    for (const part of upload.parts)
      expect(new URL(part.url).searchParams.get('X-Amz-SignedHeaders')).to.equal('content-length;host');
    const statuses = [];
    for (const [i, part] of upload.parts.entries()) {
      const res = await fetch(part.url, { method: 'PUT', body: randomBytes(i === 0 ? 5 * MIB : MIB) });
      statuses.push(res.status);
    }
    expect(statuses).to.deep.equal([200, 200]);
    expect((await u.getUploadProgress.execute({ actor: alice, id: file.id })).map((p) => p.size)).to.deep.equal([
      5 * MIB,
      MIB,
    ]);
    await u.abortUpload.execute({ actor: alice, id: file.id });
  });

  it('takes a part of another size than the signed Content-Length (moto checks no signature; real S3 answers 403 SignatureDoesNotMatch)', async () => {
    const store = storeOf();
    const key = FileKey.for(alice.id, v7());
    const uploadId = await store.createMultipart(key, { contentType: 'text/plain' });
    const signed = await store.presignPart(key, uploadId, 1, { expiresInSeconds: 60, contentLength: 1000 });
    expect((await fetch(signed.url, { method: 'PUT', body: randomBytes(2000) })).status).to.equal(200);
    expect((await store.listParts(key, uploadId)).map((p) => p.size)).to.deep.equal([2000]);
    await store.abortMultipart(key, uploadId);
  });

  it('removes pending uploads past the age: the multipart upload with its parts, the object a PUT left, the rows', async () => {
    const clock = new ManualClock(new Date());
    const store = storeOf();
    const catalog = new InMemoryFileCatalog();
    const { useCases: u } = aFileCore({
      store,
      catalog,
      clock,
      limits: { multipartThresholdBytes: 5 * MIB, partBytes: 5 * MIB },
    });
    const parted = await u.startUpload.execute({
      actor: alice,
      name: 'big.bin',
      contentType: 'application/octet-stream',
      size: 6 * MIB,
    });
    const single = await u.startUpload.execute({ actor: alice, name: 'a.csv', contentType: 'text/csv', size: 1000 });
    if (parted.upload.kind !== 'multipart' || single.upload.kind !== 'single')
      throw new Error('expected one plan of each kind');
    expect((await fetch(parted.upload.parts[0]!.url, { method: 'PUT', body: randomBytes(5 * MIB) })).status).to.equal(
      200,
    );
    expect(
      (await fetch(single.upload.url, { method: 'PUT', headers: single.upload.headers, body: randomBytes(1000) }))
        .status,
    ).to.equal(200);
    expect(await uploadsOf(parted.file.key())).to.have.length(1);

    clock.advance(25 * HOUR);
    const sweep = new SweepAbandonedUploads(catalog, store, NO_LEFTOVERS, clock, {
      abandonAfterMs: 24 * HOUR,
      batchSize: 10,
    });
    expect(await sweep.execute()).to.deep.equal({ files: 2, leftovers: 0, failures: [] });

    expect(await uploadsOf(parted.file.key())).to.deep.equal([]);
    expect((await rejectionOf(store.head(single.file.key()))).code).to.equal('FILE.NOT_FOUND');
    expect(await catalog.listByOwner(alice.id)).to.deep.equal([]);
  });
});
