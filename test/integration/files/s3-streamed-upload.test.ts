import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import nock from 'nock';
import { v7 } from 'uuid';
import { S3FileStore } from '../../../src/adapters/files/s3/s3-file-store.js';
import { fileTooLarge } from '../../../src/domain/file/file-errors.js';
import { FileKey } from '../../../src/domain/file/file-key.js';
import {
  BUCKET,
  expectS3,
  fakeS3Client,
  multipartCompleted,
  multipartCreated,
  useFakeS3Key,
  xmlError,
} from '../../support/fake-s3.js';
import { bytesStream, md5, readAll, sha256 } from '../../support/file-bytes.js';
import { openUploads, useMotoBucket } from '../../support/moto.js';
import { rejectionOf } from '../../support/rejection.js';
import { s3StoreSettings } from '../../support/s3-store-settings.js';

const MIB = 1024 * 1024;

describe('S3FileStore streamed uploads', function () {
  this.timeout(60_000);

  describe('against moto', () => {
    const s3 = useMotoBucket({ versioning: true });
    let store: S3FileStore;
    let key: FileKey;
    const uploadsLeft = () => openUploads(s3.client, s3.bucket.name);

    before(() => {
      store = new S3FileStore(s3.client, s3StoreSettings(s3.bucket.name, { sse: { mode: 'AES256' } }));
    });
    beforeEach(() => {
      key = FileKey.for(v7(), v7());
    });

    for (const known of [true, false]) {
      it(`uploads 12 MiB ${known ? 'of declared length' : 'of unknown length'} as three parallel 5 MiB parts and reads back the same bytes`, async () => {
        const bytes = randomBytes(12 * MIB);
        const stored = await store.put(key, {
          body: bytesStream(bytes, MIB),
          contentType: 'video/mp4',
          contentLength: known ? bytes.length : undefined,
        });
        expect(stored.etag).to.match(/^[0-9a-f]{32}-3$/);
        const got = await store.get(key);
        expect(sha256(await readAll(got.body))).to.equal(sha256(bytes));
        expect([got.size, got.contentType, got.versionId]).to.deep.equal([12 * MIB, 'video/mp4', stored.versionId]);
        expect(await uploadsLeft()).to.deep.equal([]);
      });
    }

    it('streams a body up to the threshold as one PutObject (a plain MD5 ETag, no multipart upload)', async () => {
      const bytes = randomBytes(4 * MIB);
      const stored = await store.put(key, {
        body: bytesStream(bytes, MIB),
        contentType: 'text/plain',
        contentLength: bytes.length,
      });
      expect(stored.etag).to.equal(md5(bytes));
      expect((await store.head(key)).size).to.equal(4 * MIB);
    });

    it('sends a body of unknown length that ends within the first part as one PutObject (a plain MD5 ETag)', async () => {
      const bytes = randomBytes(2 * MIB);
      const stored = await store.put(key, { body: bytesStream(bytes, MIB), contentType: 'text/plain' });
      expect(stored.etag).to.equal(md5(bytes));
      expect(sha256(await readAll((await store.get(key)).body))).to.equal(sha256(bytes));
      expect(await uploadsLeft()).to.deep.equal([]);
    });

    it('aborts the upload when the body fails part way (over the size limit): no object, no upload left', async () => {
      const body = Readable.from(
        (async function* () {
          yield randomBytes(5 * MIB);
          yield randomBytes(MIB);
          throw fileTooLarge(6 * MIB);
        })(),
      );
      const error = await rejectionOf(store.put(key, { body, contentType: 'video/mp4' }));
      expect(error.code).to.equal('FILE.TOO_LARGE');
      expect((await rejectionOf(store.head(key))).code).to.equal('FILE.NOT_FOUND');
      expect(await uploadsLeft()).to.deep.equal([]);
    });
  });

  /** Faults moto cannot be made to produce: a part failing once, throttling, a slow server, a refusal. */
  describe('requests sent, to nock', () => {
    let key: FileKey;
    let path: string;
    const store = new S3FileStore(fakeS3Client(), s3StoreSettings(BUCKET));

    const fake = useFakeS3Key();
    beforeEach(() => ({ key, path } = fake));

    it('retries only the part that failed: part 2 answers 500 once, parts 1 and 3 are sent once', async () => {
      expectS3('POST', path, ['uploads'], () => multipartCreated);
      const failedOnce = new Set<string>();
      const parts = expectS3(
        'PUT',
        path,
        ['uploadId', 'partNumber'],
        (_attempt, seen) => {
          const n = seen.query.get('partNumber') ?? '';
          if (n === '2' && !failedOnce.has(n)) {
            failedOnce.add(n);
            return xmlError(500, 'InternalError');
          }
          return [200, '', { etag: `"e${n}"` }];
        },
        4,
      );
      const complete = expectS3('POST', path, ['uploadId'], () => multipartCompleted);
      const stored = await store.put(key, {
        body: bytesStream(randomBytes(12 * MIB), MIB),
        contentType: 'video/mp4',
        contentLength: 12 * MIB,
      });
      expect(stored.etag).to.equal('whole-3');
      const sent = parts.map((p) => p.query.get('partNumber'));
      expect(sent.filter((n) => n === '1')).to.have.length(1);
      expect(sent.filter((n) => n === '2')).to.have.length(2);
      expect(sent.filter((n) => n === '3')).to.have.length(1);
      const lengths = parts.filter((p) => p.query.get('partNumber') === '2').map((p) => p.headers['content-length']);
      expect(lengths).to.deep.equal([String(5 * MIB), String(5 * MIB)]);
      expect(complete[0]?.body).to.include('<PartNumber>1</PartNumber>').and.include('<PartNumber>3</PartNumber>');
    });

    it('keeps no more parts in flight than the queue size', async () => {
      expectS3('POST', path, ['uploads'], () => multipartCreated);
      let inFlight = 0;
      let most = 0;
      nock('http://s3.nock.test')
        .put(path)
        .query((q) => 'partNumber' in q)
        .times(4)
        .reply((uri, _body, callback) => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          const n = new URL(uri, 'http://x').searchParams.get('partNumber');
          setTimeout(() => {
            inFlight -= 1;
            callback(null, [200, '', { etag: `"e${n}"` }]);
          }, 50);
        });
      expectS3('POST', path, ['uploadId'], () => multipartCompleted);
      await store.put(key, { body: bytesStream(randomBytes(20 * MIB), MIB), contentType: 'video/mp4' });
      expect(most).to.equal(2);
    });

    it('aborts the upload, leaving no parts, when a part keeps failing after the retries', async () => {
      expectS3('POST', path, ['uploads'], () => multipartCreated);
      expectS3(
        'PUT',
        path,
        ['uploadId', 'partNumber'],
        (_a, seen) => (seen.query.get('partNumber') === '1' ? xmlError(503, 'SlowDown') : [200, '', { etag: '"e"' }]),
        4,
      );
      const aborted = expectS3('DELETE', path, ['uploadId'], () => [204]);
      const error = await rejectionOf(
        store.put(key, {
          body: bytesStream(randomBytes(10 * MIB), MIB),
          contentType: 'video/mp4',
          contentLength: 10 * MIB,
        }),
      );
      expect(error.code).to.equal('FILE.STORE_UNAVAILABLE');
      expect(aborted.map((a) => a.query.get('uploadId'))).to.deep.equal(['u1']);
      expect(nock.pendingMocks().some((m) => m.startsWith('POST'))).to.equal(false);
    });

    it('stops reading the body once a part has failed for good, and sends no later parts', async () => {
      expectS3('POST', path, ['uploads'], () => multipartCreated);
      // Not retried: the first answer is final. Parts 1 and 2 may both be in flight (queue of 2).
      const parts = expectS3('PUT', path, ['uploadId', 'partNumber'], () => xmlError(403, 'AccessDenied'), 2);
      const aborted = expectS3('DELETE', path, ['uploadId'], () => [204]);
      let produced = 0;
      const body = Readable.from(
        (async function* () {
          // 100 MiB on offer; a store that kept reading after the failure would take all of it.
          for (; produced < 100; produced += 1) yield randomBytes(MIB);
        })(),
      );
      const error = await rejectionOf(store.put(key, { body, contentType: 'video/mp4', contentLength: 100 * MIB }));
      expect(error.name).to.equal('AccessDenied');
      expect(parts.map((p) => p.query.get('partNumber')))
        .to.have.length.within(1, 2)
        .and.satisfy((ns: string[]) => ns.every((n) => n === '1' || n === '2'));
      expect(aborted.map((a) => a.query.get('uploadId'))).to.deep.equal(['u1']);
      // Three 5 MiB buffers' worth at most, and what was read while the answer came back.
      expect(produced).to.be.below(30);
    });
  });
});
