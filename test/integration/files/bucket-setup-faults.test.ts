import { expect } from 'chai';
import nock from 'nock';
import { setUpBucket } from '../../../src/adapters/files/s3/s3-bucket-setup.js';
import { bucketSetupFor } from '../../support/bucket-setup-for.js';
import { BUCKET, expectS3, fakeS3Client, xmlError } from '../../support/fake-s3.js';
import { rejectionOf } from '../../support/rejection.js';

// Faults a server cannot be made to produce; the settings themselves are checked on moto in bucket-setup.test.ts.
describe('setUpBucket faults (nock)', () => {
  const client = fakeS3Client();
  const path = `/${BUCKET}/`;
  const setup = bucketSetupFor(BUCKET, 'key-1');

  before(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'bucket calls that were never made').to.deep.equal([]);
  });
  after(() => nock.enableNetConnect());

  it('stops at the first setting S3 refuses, and sends none after it', async () => {
    expectS3('PUT', path, ['versioning'], () => [200]);
    expectS3('PUT', path, ['encryption'], () => xmlError(403, 'AccessDenied', 'Access Denied'));
    expect(await rejectionOf(setUpBucket(client, setup))).to.include({ name: 'AccessDenied' });
  });

  it('takes a refused read of the object-lock configuration for an error, not for a bucket without object lock', async () => {
    for (const kind of ['versioning', 'encryption', 'lifecycle', 'cors']) expectS3('PUT', path, [kind], () => [200]);
    expectS3('GET', path, ['object-lock'], () => xmlError(403, 'AccessDenied', 'Access Denied'));
    expect(await rejectionOf(setUpBucket(client, setup))).to.include({ name: 'AccessDenied' });
  });
});
