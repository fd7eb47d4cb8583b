import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import nock from 'nock';
import { createS3Client } from '../../../src/adapters/files/s3/s3-client.js';
import { S3FileStore } from '../../../src/adapters/files/s3/s3-file-store.js';
import { fileTooLarge } from '../../../src/domain/file/file-errors.js';
import type { FileKey } from '../../../src/domain/file/file-key.js';
import { rejectionOf } from '../../support/rejection.js';
import { BUCKET, expectS3, fakeS3Client, useFakeS3Key, xmlError } from '../../support/fake-s3.js';
import { s3StoreSettings } from '../../support/s3-store-settings.js';

const KMS = { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': 'key-1' };
const settings = s3StoreSettings(BUCKET, { sse: { mode: 'aws:kms', kmsKeyId: 'key-1' } });

/**
 * What moto cannot be made to do, or does not check: S3's own error wording, throttling that outlasts
 * the retries, a body failing while the server has already answered, what a pre-signed URL signs
 * (moto verifies no signature) and access-point hosts. Everything else runs against moto in
 * s3-moto*.test.ts and the FileStore contract.
 */
describe('S3FileStore requests', () => {
  let key: FileKey;
  let path: string;
  const client = fakeS3Client();
  const store = new S3FileStore(client, settings);

  const fake = useFakeS3Key({ expectAllSent: true });
  beforeEach(() => ({ key, path } = fake));

  it('says FILE.UNSUPPORTED when S3 answers, in its own words, that the bucket has no object lock', async () => {
    expectS3('PUT', path, ['legal-hold'], () =>
      xmlError(400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration'),
    );
    expect((await rejectionOf(store.setLegalHold(key, true))).code).to.equal('FILE.UNSUPPORTED');
  });

  it('maps a store still failing after the SDK retries to FILE.STORE_UNAVAILABLE', async () => {
    const seen = expectS3('GET', path, [], () => xmlError(503, 'SlowDown'), 3);
    expect((await rejectionOf(store.get(key))).code).to.equal('FILE.STORE_UNAVAILABLE');
    expect(seen).to.have.length(3);
  });

  it('aborts the PutObject when its body fails, instead of leaving the request hanging', async function () {
    this.timeout(3000);
    nock('http://s3.nock.test').put(path).query(true).reply(200);
    const failing = Readable.from(
      (async function* () {
        yield randomBytes(1024);
        throw fileTooLarge(1024);
      })(),
    );
    const error = await rejectionOf(store.put(key, { body: failing, contentType: 'text/plain', contentLength: 4096 }));
    expect(error.code).to.equal('FILE.TOO_LARGE');
    nock.cleanAll();
  });

  it('signs a PUT URL bound to type, length and SSE, with no empty-body checksum (moto verifies no signature)', async () => {
    const signed = await store.presignPut(key, { contentType: 'text/csv', contentLength: 123, expiresInSeconds: 3600 });
    const query = new URL(signed.url).searchParams;
    expect(query.get('X-Amz-SignedHeaders')).to.equal(
      'content-length;content-type;host;x-amz-server-side-encryption;x-amz-server-side-encryption-aws-kms-key-id',
    );
    expect(query.get('X-Amz-Expires')).to.equal('900');
    expect([...query.keys()].filter((k) => /checksum/i.test(k))).to.deep.equal([]);
    expect(signed.headers).to.deep.equal({ 'content-type': 'text/csv', ...KMS });
  });

  it("signs part URLs with the upload id, part number and the part's length, but no content type, so a browser may send any", async () => {
    const query = new URL(
      (await store.presignPart(key, 'u1', 7, { expiresInSeconds: 60, contentLength: 5 * 1024 * 1024 })).url,
    ).searchParams;
    expect([
      query.get('uploadId'),
      query.get('partNumber'),
      query.get('X-Amz-SignedHeaders'),
      query.get('X-Amz-Expires'),
    ]).to.deep.equal(['u1', '7', 'content-length;host', '60']);
  });

  it('works through an access-point ARN', async () => {
    const arn = 'arn:aws:s3:us-east-1:123456789012:accesspoint/files';
    const client = createS3Client(
      { region: 'us-east-1', forcePathStyle: false },
      { credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } },
    );
    const viaAccessPoint = new S3FileStore(client, { ...settings, bucket: arn });
    const origin = 'https://files-123456789012.s3-accesspoint.us-east-1.amazonaws.com';
    expectS3(
      'HEAD',
      `/${key.value}`,
      [],
      () => [200, '', { 'content-length': '3', etag: '"e"', 'content-type': 'text/plain' }],
      1,
      origin,
    );
    expect((await viaAccessPoint.head(key)).size).to.equal(3);
    expect(new URL((await viaAccessPoint.presignGet(key, { expiresInSeconds: 60 })).url).origin).to.equal(origin);
  });
});
