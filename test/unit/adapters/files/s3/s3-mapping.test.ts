import { expect } from 'chai';
import { v7 } from 'uuid';
import { DomainError } from '../../../../../src/domain/errors.js';
import { FileKey } from '../../../../../src/domain/file/file-key.js';
import { mapS3Error } from '../../../../../src/adapters/files/s3/s3-errors.js';
import {
  copySource,
  parseContentRange,
  sseHeaders,
  sseParams,
} from '../../../../../src/adapters/files/s3/s3-requests.js';

const sdkError = (name: string, status: number, message = '') =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
const codeOf = (error: unknown) => (error instanceof DomainError ? error.code : 'unmapped');

describe('S3 adapter mapping', () => {
  it('maps a missing key, object, version or upload to FILE.NOT_FOUND', () => {
    for (const [name, status] of [
      ['NoSuchKey', 404],
      ['NotFound', 404],
      ['NoSuchVersion', 404],
      ['NoSuchUpload', 404],
    ] as const) {
      expect(codeOf(mapS3Error(sdkError(name, status)))).to.equal('FILE.NOT_FOUND');
    }
    expect(codeOf(mapS3Error(sdkError('InvalidArgument', 400, 'Invalid version id specified')))).to.equal(
      'FILE.NOT_FOUND',
    );
  });

  it('maps server errors, throttling and a refused connection to FILE.STORE_UNAVAILABLE', () => {
    for (const error of [
      sdkError('InternalError', 500),
      sdkError('SlowDown', 503),
      sdkError('Whatever', 502),
      Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
    ]) {
      expect(codeOf(mapS3Error(error))).to.equal('FILE.STORE_UNAVAILABLE');
    }
  });

  it('maps bad multipart parts and an unsatisfiable range', () => {
    expect(codeOf(mapS3Error(sdkError('InvalidPart', 400)))).to.equal('FILE.UPLOAD_INCOMPLETE');
    expect(codeOf(mapS3Error(sdkError('EntityTooSmall', 400)))).to.equal('FILE.UPLOAD_INCOMPLETE');
    expect(codeOf(mapS3Error(sdkError('InvalidRange', 416)))).to.equal('FILE.RANGE_NOT_SATISFIABLE');
  });

  it('leaves configuration problems (access denied, a missing bucket) as they are, to be logged whole', () => {
    expect(codeOf(mapS3Error(sdkError('AccessDenied', 403)))).to.equal('unmapped');
    expect(codeOf(mapS3Error(sdkError('NoSuchBucket', 404)))).to.equal('unmapped');
  });

  it('names the copy source by bucket or by access point, with the version', () => {
    const key = FileKey.for(v7(), v7());
    expect(copySource('files-bucket', key, 'v 1')).to.equal(`files-bucket/${key.value}?versionId=v%201`);
    const arn = 'arn:aws:s3:eu-west-1:123456789012:accesspoint/files';
    expect(copySource(arn, key, 'v1')).to.equal(`${arn}/object/${key.value}?versionId=v1`);
  });

  it('sends SSE as parameters and, for pre-signed PUTs, as headers', () => {
    expect(sseParams({ mode: 'aws:kms', kmsKeyId: 'k' })).to.deep.equal({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'k',
    });
    expect(sseHeaders({ mode: 'AES256' })).to.deep.equal({ 'x-amz-server-side-encryption': 'AES256' });
    expect(sseParams(undefined)).to.deep.equal({});
  });

  it('reads a Content-Range header', () => {
    expect(parseContentRange('bytes 10-19/100')).to.deep.equal({ start: 10, end: 19, size: 100 });
    expect(parseContentRange(undefined)).to.equal(undefined);
  });
});
