import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { S3FileStore } from '../../../src/adapters/files/s3/s3-file-store.js';
import type { FileKey } from '../../../src/domain/file/file-key.js';
import {
  BUCKET,
  expectS3,
  fakeS3Client,
  multipartCompleted,
  multipartCreated,
  type Reply,
  useFakeS3Key,
} from '../../support/fake-s3.js';
import { bytesStream, md5 } from '../../support/file-bytes.js';
import { s3StoreSettings } from '../../support/s3-store-settings.js';

const MIB = 1024 * 1024;

// The requests behind s3-moto-retention.test.ts's findings, where moto does not look.
describe('S3FileStore in a bucket with a default retention', function () {
  this.timeout(60_000);

  /** moto checks no part for a checksum, nor any checksum's value: the headers as sent. */
  describe('requests sent, to nock', () => {
    let key: FileKey;
    let path: string;
    const stored: Reply = [200, '', { etag: '"e"' }];
    const storeWith = (checksums: boolean) =>
      new S3FileStore(fakeS3Client(), s3StoreSettings(BUCKET, { sse: { mode: 'AES256' }, checksums }));

    const fake = useFakeS3Key();
    beforeEach(() => ({ key, path } = fake));

    for (const checksums of [true, false]) {
      const on = checksums ? 'on' : 'off';

      it(`with checksums ${on}, every UploadPart carries ${checksums ? 'the Content-MD5 of its own bytes' : 'no Content-MD5'}`, async () => {
        const bytes = randomBytes(12 * MIB);
        expectS3('POST', path, ['uploads'], () => multipartCreated);
        const parts = expectS3(
          'PUT',
          path,
          ['uploadId', 'partNumber'],
          (_a, seen) => [200, '', { etag: `"e${seen.query.get('partNumber')}"` }],
          3,
        );
        expectS3('POST', path, ['uploadId'], () => multipartCompleted);
        await storeWith(checksums).put(key, {
          body: bytesStream(bytes, MIB),
          contentType: 'video/mp4',
          contentLength: bytes.length,
        });
        const sent = parts
          .map((p) => [Number(p.query.get('partNumber')), p.headers['content-md5']] as const)
          .sort(([a], [b]) => a - b);
        const partBytes = (n: number) => bytes.subarray((n - 1) * 5 * MIB, n * 5 * MIB);
        expect(sent).to.deep.equal([1, 2, 3].map((n) => [n, checksums ? md5(partBytes(n), 'base64') : undefined]));
      });

      it(`with checksums ${on}, a small body of unknown length goes as one PutObject ${checksums ? 'with the Content-MD5 of its bytes' : 'without Content-MD5'}`, async () => {
        const bytes = randomBytes(2 * MIB);
        const put = expectS3('PUT', path, [], () => stored);
        await storeWith(checksums).put(key, { body: bytesStream(bytes, MIB), contentType: 'text/plain' });
        expect(put.map((p) => p.headers['content-md5'])).to.deep.equal([checksums ? md5(bytes, 'base64') : undefined]);
      });
    }

    it('with checksums on, the streamed PutObject goes aws-chunked with the CRC32 of the body in a trailer, and no Content-MD5', async () => {
      const text = randomBytes(500).toString('hex');
      const put = expectS3('PUT', path, [], () => stored);
      await storeWith(true).put(key, {
        body: Readable.from([Buffer.from(text)]),
        contentType: 'text/plain',
        contentLength: text.length,
      });
      const { headers, body } = put[0]!;
      const wanted = {
        'x-amz-sdk-checksum-algorithm': 'CRC32',
        'x-amz-trailer': 'x-amz-checksum-crc32',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '1000',
      };
      expect(headers).to.include(wanted);
      expect(headers).to.not.have.any.keys('content-md5', 'content-length');
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(text));
      expect(body)
        .to.include(text)
        .and.include(`x-amz-checksum-crc32:${crc.toString('base64')}`);
    });

    it('with checksums off, the streamed PutObject is the plain body with its Content-Length and no checksum header', async () => {
      const text = randomBytes(500).toString('hex');
      const put = expectS3('PUT', path, [], () => stored);
      await storeWith(false).put(key, {
        body: Readable.from([Buffer.from(text)]),
        contentType: 'text/plain',
        contentLength: text.length,
      });
      const { headers, body } = put[0]!;
      expect([headers['content-length'], body]).to.deep.equal(['1000', text]);
      expect(
        Object.keys(headers).filter((h) =>
          /^(content-md5|content-encoding|x-amz-trailer|x-amz-sdk-checksum|x-amz-checksum)/.test(h),
        ),
      ).to.deep.equal([]);
    });
  });
});
