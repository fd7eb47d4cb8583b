import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import nock from 'nock';
import { v7 } from 'uuid';
import { createS3Client } from '../../../src/adapters/files/s3/s3-client.js';
import { S3FileStore, type S3FileStoreSettings } from '../../../src/adapters/files/s3/s3-file-store.js';
import { fileTooLarge } from '../../../src/domain/file/file-errors.js';
import { FileKey } from '../../../src/domain/file/file-key.js';
import { rejectionOf } from '../../support/rejection.js';
import { BUCKET, expectS3, fakeS3Client, xmlError } from './fake-s3.js';

const MIB = 1024 * 1024;
const KMS = { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': 'key-1' };
const settings: S3FileStoreSettings = {
  bucket: BUCKET,
  sse: { mode: 'aws:kms', kmsKeyId: 'key-1' },
  multipartThresholdBytes: 5 * MIB,
  partBytes: 5 * MIB,
  queueSize: 2,
  presignMaxSeconds: 900,
};
const ok = (body = '', headers: Record<string, string> = {}) => (): [number, string, Record<string, string>] => [200, body, headers];

/** The calls s3rver does not implement, asserted as the exact requests the adapter sends. */
describe('S3FileStore requests', () => {
  let key: FileKey;
  let path: string;
  const client = fakeS3Client();
  const store = new S3FileStore(client, settings);

  before(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  });
  beforeEach(() => {
    key = FileKey.for(v7(), v7());
    path = `/${BUCKET}/${key.value}`;
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'requests the adapter should have sent').to.deep.equal([]);
  });
  after(() => nock.enableNetConnect());

  it('sends the SSE headers, type and body with a streamed PutObject', async () => {
    const seen = expectS3('PUT', path, [], ok('', { etag: '"e1"', 'x-amz-version-id': 'v1' }));
    const body = Buffer.from('hello');
    expect(await store.put(key, { body: Readable.from([body]), contentType: 'text/plain', contentLength: 5 })).to.deep.equal({ etag: 'e1', versionId: 'v1' });
    expect(seen[0]?.headers).to.include({ ...KMS, 'content-type': 'text/plain', 'content-length': '5' });
    expect(seen[0]?.body).to.equal('hello');
  });

  it('sends the SSE headers with CreateMultipartUpload', async () => {
    const seen = expectS3('POST', path, ['uploads'], ok(`<InitiateMultipartUploadResult><UploadId>u1</UploadId></InitiateMultipartUploadResult>`));
    expect(await store.createMultipart(key, { contentType: 'video/mp4' })).to.equal('u1');
    expect(seen[0]?.headers).to.include({ ...KMS, 'content-type': 'video/mp4' });
  });

  it('restores a version by copying it onto the key, with the SSE headers', async () => {
    const copied = `<CopyObjectResult><ETag>"e9"</ETag><LastModified>2026-01-01T00:00:00.000Z</LastModified></CopyObjectResult>`;
    const seen = expectS3('PUT', path, [], ok(copied, { 'x-amz-version-id': 'v3' }));
    expect(await store.restoreVersion(key, 'v1')).to.deep.equal({ etag: 'e9', versionId: 'v3' });
    expect(seen[0]?.headers).to.include({ ...KMS, 'x-amz-copy-source': `${BUCKET}/${key.value}?versionId=v1`, 'x-amz-metadata-directive': 'COPY' });
  });

  it('lists the parts received, following the pages', async () => {
    const page = (parts: number[], next?: number) =>
      `<ListPartsResult><IsTruncated>${next ? 'true' : 'false'}</IsTruncated>${next ? `<NextPartNumberMarker>${next}</NextPartNumberMarker>` : ''}${parts
        .map((n) => `<Part><PartNumber>${n}</PartNumber><ETag>"e${n}"</ETag><Size>${n * 10}</Size></Part>`)
        .join('')}</ListPartsResult>`;
    const seen = expectS3('GET', path, ['uploadId'], (attempt) => [200, attempt === 0 ? page([1, 2], 2) : page([3])], 2);
    expect(await store.listParts(key, 'u1')).to.deep.equal([
      { partNumber: 1, etag: 'e1', size: 10 },
      { partNumber: 2, etag: 'e2', size: 20 },
      { partNumber: 3, etag: 'e3', size: 30 },
    ]);
    expect(seen.map((s) => [s.query.get('uploadId'), s.query.get('part-number-marker')])).to.deep.equal([['u1', null], ['u1', '2']]);
  });

  it('completes with the parts in the order given, ETags quoted', async () => {
    const seen = expectS3('POST', path, ['uploadId'], ok(`<CompleteMultipartUploadResult><ETag>"abc-2"</ETag></CompleteMultipartUploadResult>`, { 'x-amz-version-id': 'v7' }));
    const done = await store.completeMultipart(key, 'u1', [{ partNumber: 1, etag: 'e1' }, { partNumber: 2, etag: '"e2"' }]);
    expect(done).to.deep.equal({ etag: 'abc-2', versionId: 'v7' });
    const part = (n: number) => `<Part><ETag>&quot;e${n}&quot;</ETag><PartNumber>${n}</PartNumber></Part>`;
    expect(seen[0]?.body).to.include(`<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${part(1)}${part(2)}</CompleteMultipartUpload>`);
  });

  it('maps a completion S3 refuses for a bad part to FILE.UPLOAD_INCOMPLETE', async () => {
    expectS3('POST', path, ['uploadId'], () => xmlError(400, 'InvalidPart'));
    expect((await rejectionOf(store.completeMultipart(key, 'u1', [{ partNumber: 1, etag: 'e1' }]))).code).to.equal('FILE.UPLOAD_INCOMPLETE');
  });

  it('aborts a multipart upload, and treats an upload already gone as aborted', async () => {
    const seen = expectS3('DELETE', path, ['uploadId'], (attempt) => (attempt === 0 ? [204] : xmlError(404, 'NoSuchUpload')), 2);
    await store.abortMultipart(key, 'u1');
    await store.abortMultipart(key, 'u1');
    expect(seen.map((s) => s.query.get('uploadId'))).to.deep.equal(['u1', 'u1']);
  });

  it('lists the versions of exactly this key, newest first, without delete markers', async () => {
    const version = (k: string, id: string, latest: boolean, size: number) =>
      `<Version><Key>${k}</Key><VersionId>${id}</VersionId><IsLatest>${latest}</IsLatest><LastModified>2026-01-0${size}T00:00:00.000Z</LastModified><ETag>"e${id}"</ETag><Size>${size}</Size></Version>`;
    const body = `<ListVersionsResult><IsTruncated>false</IsTruncated>${version(key.value, 'v2', true, 2)}${version(key.value, 'v1', false, 1)}<DeleteMarker><Key>${key.value}</Key><VersionId>d1</VersionId><IsLatest>false</IsLatest></DeleteMarker>${version(`${key.value}x`, 'o1', true, 3)}</ListVersionsResult>`;
    const seen = expectS3('GET', `/${BUCKET}/`, ['versions', 'prefix'], ok(body));
    expect(await store.listVersions(key)).to.deep.equal([
      { versionId: 'v2', size: 2, etag: 'ev2', lastModified: new Date('2026-01-02T00:00:00Z'), isLatest: true },
      { versionId: 'v1', size: 1, etag: 'ev1', lastModified: new Date('2026-01-01T00:00:00Z'), isLatest: false },
    ]);
    expect(seen[0]?.query.get('prefix')).to.equal(key.value);
  });

  it('puts a legal hold on a version', async () => {
    const seen = expectS3('PUT', path, ['legal-hold'], ok());
    await store.setLegalHold(key, true, 'v1');
    expect(seen[0]?.query.get('versionId')).to.equal('v1');
    expect(seen[0]?.body).to.include('<LegalHold xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>ON</Status></LegalHold>');
  });

  it('sets retention on the latest version', async () => {
    const seen = expectS3('PUT', path, ['retention'], ok());
    await store.setRetention(key, { mode: 'COMPLIANCE', retainUntil: new Date('2030-01-01T00:00:00Z') });
    expect(seen[0]?.query.has('versionId')).to.equal(false);
    expect(seen[0]?.body).to.include('<Mode>COMPLIANCE</Mode><RetainUntilDate>2030-01-01T00:00:00Z</RetainUntilDate>');
  });

  it('says FILE.UNSUPPORTED when the bucket has no object lock', async () => {
    expectS3('PUT', path, ['legal-hold'], () => xmlError(400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration'));
    expect((await rejectionOf(store.setLegalHold(key, true))).code).to.equal('FILE.UNSUPPORTED');
  });

  it('maps a missing object to FILE.NOT_FOUND', async () => {
    expectS3('HEAD', path, [], () => [404]);
    expect((await rejectionOf(store.head(key))).code).to.equal('FILE.NOT_FOUND');
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

  it('signs a PUT URL bound to type, length and SSE, for no longer than allowed, with no empty-body checksum', async () => {
    const signed = await store.presignPut(key, { contentType: 'text/csv', contentLength: 123, expiresInSeconds: 3600 });
    const query = new URL(signed.url).searchParams;
    expect(query.get('X-Amz-SignedHeaders')).to.equal('content-length;content-type;host;x-amz-server-side-encryption;x-amz-server-side-encryption-aws-kms-key-id');
    expect(query.get('X-Amz-Expires')).to.equal('900');
    expect([...query.keys()].filter((k) => /checksum/i.test(k))).to.deep.equal([]);
    expect(signed.headers).to.deep.equal({ 'content-type': 'text/csv', ...KMS });
  });

  it('signs part URLs with the upload id and part number only', async () => {
    const query = new URL((await store.presignPart(key, 'u1', 7, { expiresInSeconds: 60 })).url).searchParams;
    expect([query.get('uploadId'), query.get('partNumber'), query.get('X-Amz-SignedHeaders'), query.get('X-Amz-Expires')]).to.deep.equal(['u1', '7', 'host', '60']);
  });

  it('works through an access-point ARN', async () => {
    const arn = 'arn:aws:s3:us-east-1:123456789012:accesspoint/files';
    const client = createS3Client({ region: 'us-east-1', forcePathStyle: false }, { credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });
    const viaAccessPoint = new S3FileStore(client, { ...settings, bucket: arn });
    const origin = 'https://files-123456789012.s3-accesspoint.us-east-1.amazonaws.com';
    expectS3('HEAD', `/${key.value}`, [], () => [200, '', { 'content-length': '3', etag: '"e"', 'content-type': 'text/plain' }], 1, origin);
    expect((await viaAccessPoint.head(key)).size).to.equal(3);
    expect(new URL((await viaAccessPoint.presignGet(key, { expiresInSeconds: 60 })).url).origin).to.equal(origin);
  });
});
