import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { v7 } from 'uuid';
import { fileTooLarge } from '../../../src/domain/file/file-errors.js';
import { FileKey } from '../../../src/domain/file/file-key.js';
import type { FileStore } from '../../../src/domain/ports/file-store.js';
import type { ShiftableClock } from '../files/shiftable-clock.js';
import { rejectionOf } from '../../support/rejection.js';

/**
 * What the backend behind the adapter enforces. Where a server is more lenient than S3, the case for
 * that rule asserts what the server does instead and names `server` in its title, so the gap shows
 * on every run; the rule itself is then checked elsewhere (see docs/files.md).
 */
export interface StoreAbilities {
  /** Named in the title of every case where this backend does not enforce a rule S3 does. */
  server: string;
  /** 'full': many versions and restore; 'single': one "null" version. */
  versions: 'full' | 'single';
  objectLock: 'supported' | 'unsupported';
  /** ListParts and AbortMultipartUpload. */
  multipartLifecycle: boolean;
  /** Refuses a completion naming a wrong ETag, and builds S3's `md5-N` multipart ETag. */
  checksParts: boolean;
  /** Refuses a completion listing the parts out of order (S3's InvalidPartOrder). */
  checksPartOrder: boolean;
  /** An upload id belongs to its key: a request on another key's path cannot abort it (S3's NoSuchUpload). */
  bindsUploadsToKeys: boolean;
  /** Refuses a pre-signed PUT sent with a content type or length other than the signed one. */
  enforcesSignedHeaders: boolean;
  /** Refuses a pre-signed URL past its X-Amz-Expires. */
  refusesExpiredUrls: boolean;
  /** Keeps nothing of a request whose body never finished (S3 does). */
  discardsUnfinishedRequests: boolean;
}

export interface FileStoreFixture {
  store: FileStore;
  /** The clock the store signs with and, for app-served links, verifies with. */
  clock: ShiftableClock;
  presignMaxSeconds: number;
  cleanup(): Promise<void>;
}

const MIB = 1024 * 1024;

/** Marks a case that does not apply to this backend as pending, saying why on the test output. */
function notHere(ctx: Mocha.Context, reason: string): void {
  console.log(`      (not applicable: ${reason})`);
  ctx.skip();
}
const aKey = () => FileKey.for(v7(), v7());
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const streamOf = (bytes: Buffer, chunk = 64 * 1024) =>
  Readable.from(Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk)));
const readAll = async (body: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
};

/** The same assertions for every FileStore adapter. */
export function fileStoreContract(name: string, abilities: StoreAbilities, make: () => Promise<FileStoreFixture>) {
  const { server } = abilities;
  describe(`FileStore contract: ${name}`, function () {
    this.timeout(60_000);
    let fx: FileStoreFixture;
    beforeEach(async () => {
      fx = await make();
    });
    afterEach(async () => fx.cleanup());

    const putBytes = async (key: FileKey, bytes: Buffer, contentType = 'application/octet-stream') =>
      fx.store.put(key, { body: streamOf(bytes), contentType, contentLength: bytes.length });

    it('round-trips a few MB of binary, with its type, size and MD5 ETag', async () => {
      const key = aKey();
      const bytes = randomBytes(3 * MIB + 17);
      const stored = await putBytes(key, bytes, 'image/png');
      expect(stored.etag).to.equal(md5(bytes));
      const got = await fx.store.get(key);
      expect(await readAll(got.body)).to.deep.equal(bytes);
      expect([got.size, got.contentLength, got.contentType, got.etag]).to.deep.equal([bytes.length, bytes.length, 'image/png', md5(bytes)]);
      const head = await fx.store.head(key);
      expect([head.size, head.contentType, head.etag]).to.deep.equal([bytes.length, 'image/png', md5(bytes)]);
      expect(head.lastModified).to.be.instanceOf(Date);
    });

    it('stores a body of unknown length', async () => {
      const key = aKey();
      const bytes = randomBytes(2 * MIB);
      await fx.store.put(key, { body: streamOf(bytes), contentType: 'text/plain' });
      expect(await readAll((await fx.store.get(key)).body)).to.deep.equal(bytes);
    });

    it('reads a byte range, an open-ended range, and refuses one past the end', async () => {
      const key = aKey();
      const bytes = randomBytes(1000);
      await putBytes(key, bytes);
      const middle = await fx.store.get(key, { range: { start: 100, end: 199 } });
      expect(await readAll(middle.body)).to.deep.equal(bytes.subarray(100, 200));
      expect([middle.contentLength, middle.size]).to.deep.equal([100, 1000]);
      expect(middle.contentRange).to.deep.equal({ start: 100, end: 199, size: 1000 });
      const tail = await fx.store.get(key, { range: { start: 990 } });
      expect(await readAll(tail.body)).to.deep.equal(bytes.subarray(990));
      expect((await rejectionOf(fx.store.get(key, { range: { start: 1000 } }))).code).to.equal('FILE.RANGE_NOT_SATISFIABLE');
    });

    it('answers FILE.NOT_FOUND for a key that was never written', async () => {
      expect((await rejectionOf(fx.store.head(aKey()))).code).to.equal('FILE.NOT_FOUND');
      expect((await rejectionOf(fx.store.get(aKey()))).code).to.equal('FILE.NOT_FOUND');
    });

    it('deletes an object, and deleting a missing one succeeds', async () => {
      const key = aKey();
      await putBytes(key, randomBytes(10));
      await fx.store.delete(key);
      expect((await rejectionOf(fx.store.head(key))).code).to.equal('FILE.NOT_FOUND');
      await fx.store.delete(key);
    });

    it('deletes many keys at once', async () => {
      const keys = [aKey(), aKey(), aKey()];
      for (const key of keys) await putBytes(key, randomBytes(10));
      await fx.store.deleteMany(keys);
      for (const key of keys) expect((await rejectionOf(fx.store.head(key))).code).to.equal('FILE.NOT_FOUND');
    });

    const keepsNothing = abilities.discardsUnfinishedRequests;
    it(`${keepsNothing ? 'keeps nothing' : `fails, yet ${server} keeps what arrived (real S3 keeps nothing),`} when the body fails half way (too large, client gone)`, async () => {
      const key = aKey();
      const failing = Readable.from(
        (async function* () {
          yield randomBytes(MIB);
          throw fileTooLarge(MIB);
        })(),
      );
      const error = await rejectionOf(fx.store.put(key, { body: failing, contentType: 'text/plain', contentLength: 2 * MIB }));
      expect(error.code).to.equal('FILE.TOO_LARGE');
      if (keepsNothing) expect((await rejectionOf(fx.store.head(key))).code).to.equal('FILE.NOT_FOUND');
      else expect((await fx.store.head(key)).size).to.be.below(2 * MIB);
    });

    it('serves a pre-signed GET to a plain HTTP client, with the asked-for disposition', async () => {
      const key = aKey();
      const bytes = randomBytes(256 * 1024);
      await putBytes(key, bytes, 'application/pdf');
      const signed = await fx.store.presignGet(key, { expiresInSeconds: 60, contentDisposition: 'attachment; filename="a.pdf"' });
      const res = await fetch(signed.url, { headers: signed.headers });
      expect(res.status).to.equal(200);
      expect(Buffer.from(await res.arrayBuffer())).to.deep.equal(bytes);
      expect(res.headers.get('content-disposition')).to.equal('attachment; filename="a.pdf"');
    });

    it('takes a pre-signed PUT from a plain HTTP client', async () => {
      const key = aKey();
      const bytes = randomBytes(300 * 1024);
      const signed = await fx.store.presignPut(key, { contentType: 'text/csv', contentLength: bytes.length, expiresInSeconds: 60 });
      expect(signed.method).to.equal('PUT');
      expect(new URL(signed.url).search).to.not.match(/x-amz-checksum/i);
      const res = await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: bytes });
      expect(res.status).to.equal(200);
      const head = await fx.store.head(key);
      expect([head.size, head.contentType, head.etag]).to.deep.equal([bytes.length, 'text/csv', md5(bytes)]);
    });

    const sendOffType = async (key: FileKey) => {
      const signed = await fx.store.presignPut(key, { contentType: 'text/csv', contentLength: 100, expiresInSeconds: 60 });
      const otherType = await fetch(signed.url, { method: 'PUT', headers: { ...signed.headers, 'content-type': 'text/html' }, body: randomBytes(100) });
      const otherLength = await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: randomBytes(101) });
      return [otherType.status, otherLength.status];
    };
    if (abilities.enforcesSignedHeaders) {
      it('refuses a pre-signed PUT sent with another content type or length, and keeps nothing', async () => {
        const key = aKey();
        expect(await sendOffType(key)).to.deep.equal([403, 403]);
        expect((await rejectionOf(fx.store.head(key))).code).to.equal('FILE.NOT_FOUND');
      });
    } else {
      it(`takes a pre-signed PUT sent with another content type or length (${server} checks no signature; real S3 answers 403)`, async () => {
        const key = aKey();
        expect(await sendOffType(key)).to.deep.equal([200, 200]);
        expect((await fx.store.head(key)).size).to.equal(101);
      });
    }

    const fetchExpired = async () => {
      const key = aKey();
      await putBytes(key, randomBytes(10));
      fx.clock.shift(-3600_000);
      const signed = await fx.store.presignGet(key, { expiresInSeconds: 60 });
      fx.clock.shift(0);
      expect(signed.expiresAt.getTime()).to.be.below(Date.now());
      return (await fetch(signed.url)).status;
    };
    if (abilities.refusesExpiredUrls) {
      it('refuses a pre-signed URL once it has expired', async () => {
        expect(await fetchExpired()).to.equal(403);
      });
    } else {
      it(`serves a pre-signed URL after it has expired (${server} does not check X-Amz-Expires; real S3 answers 403)`, async () => {
        expect(await fetchExpired()).to.equal(200);
      });
    }

    it('grants no more than the configured lifetime', async () => {
      const signed = await fx.store.presignGet(aKey(), { expiresInSeconds: 10 ** 6 });
      const granted = (signed.expiresAt.getTime() - Date.now()) / 1000;
      expect(granted).to.be.within(fx.presignMaxSeconds - 5, fx.presignMaxSeconds);
    });

    multipartAssertions(() => fx, abilities);
    versionAssertions(() => fx, abilities, putBytes);
    lockAssertions(() => fx, abilities, putBytes);
  });
}

/** Sends each part to its pre-signed URL; the refs to complete with, in part-number order. */
async function sendParts(store: FileStore, key: FileKey, uploadId: string, parts: Buffer<ArrayBuffer>[]) {
  const refs = [];
  for (const [i, bytes] of parts.entries()) {
    const signed = await store.presignPart(key, uploadId, i + 1, { expiresInSeconds: 60, contentLength: bytes.length });
    const res = await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: bytes });
    expect(res.status).to.equal(200);
    refs.push({ partNumber: i + 1, etag: res.headers.get('etag') ?? '' });
  }
  return refs;
}

function multipartAssertions(fx: () => FileStoreFixture, abilities: StoreAbilities) {
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
    const error = await rejectionOf(fx().store.completeMultipart(key, uploadId, [{ partNumber: 1, etag: md5(Buffer.from('x')) }]));
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

function versionAssertions(fx: () => FileStoreFixture, abilities: StoreAbilities, putBytes: (key: FileKey, bytes: Buffer) => Promise<unknown>) {
  it('lists versions newest first and restores an older one as the latest', async function () {
    if (abilities.versions !== 'full') return notHere(this, 'this backend keeps a single version');
    const key = aKey();
    const [first, second] = [randomBytes(100), randomBytes(200)];
    await putBytes(key, first);
    await putBytes(key, second);
    const versions = await fx().store.listVersions(key);
    expect(versions.map((v) => [v.size, v.isLatest])).to.deep.equal([[200, true], [100, false]]);
    const restored = await fx().store.restoreVersion(key, versions[1]?.versionId ?? '');
    expect(restored.versionId).to.be.a('string').and.not.equal(versions[1]?.versionId);
    expect(await readAll((await fx().store.get(key)).body)).to.deep.equal(first);
    expect(await readAll((await fx().store.get(key, { versionId: versions[0]?.versionId })).body)).to.deep.equal(second);
    expect(await fx().store.listVersions(key)).to.have.length(3);
  });

  it('reports its single version as "null", as S3 does for an unversioned bucket', async function () {
    if (abilities.versions !== 'single') return notHere(this, 'this backend keeps many versions');
    const key = aKey();
    await putBytes(key, randomBytes(100));
    const [only, ...rest] = await fx().store.listVersions(key);
    expect(rest).to.have.length(0);
    expect(only).to.deep.include({ versionId: 'null', size: 100, isLatest: true });
    await fx().store.restoreVersion(key, 'null');
    expect((await rejectionOf(fx().store.restoreVersion(key, 'v2'))).code).to.equal('FILE.NOT_FOUND');
  });
}

function lockAssertions(fx: () => FileStoreFixture, abilities: StoreAbilities, putBytes: (key: FileKey, bytes: Buffer) => Promise<unknown>) {
  it('records a legal hold and a retention period', async function () {
    if (abilities.objectLock !== 'supported') return notHere(this, 'no object lock on this backend');
    const key = aKey();
    await putBytes(key, randomBytes(10));
    const retainUntil = new Date('2030-01-01T00:00:00Z');
    await fx().store.setLegalHold(key, true);
    await fx().store.setRetention(key, { mode: 'GOVERNANCE', retainUntil });
    expect(await fx().store.head(key)).to.deep.include({ legalHold: true, retention: { mode: 'GOVERNANCE', retainUntil } });
  });

  it('keeps a version under legal hold when its object is deleted: hidden, still readable by version', async function () {
    if (abilities.objectLock !== 'supported') return notHere(this, 'no object lock on this backend');
    const key = aKey();
    const bytes = randomBytes(10);
    await putBytes(key, bytes);
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
    await putBytes(key, randomBytes(10));
    expect((await rejectionOf(fx().store.setLegalHold(key, true))).code).to.equal('FILE.UNSUPPORTED');
    expect((await rejectionOf(fx().store.setRetention(key, { mode: 'COMPLIANCE', retainUntil: new Date() }))).code).to.equal('FILE.UNSUPPORTED');
  });
}
