import { expect } from 'chai';
import nock from 'nock';
import { setUpBucket, type BucketSetup } from '../../../src/adapters/files/s3/s3-bucket-setup.js';
import { BUCKET, expectS3, fakeS3Client, xmlError, type SeenRequest } from './fake-s3.js';

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const setup: BucketSetup = {
  bucket: BUCKET,
  sse: { mode: 'aws:kms', kmsKeyId: 'key-1' },
  lifecycle: { standardIa: 730, glacier: 2920, deepArchive: 5475, abortMultipart: 7, noncurrentExpire: 30 },
  corsOrigins: ['https://app.example.com'],
  lock: { mode: 'GOVERNANCE', days: 30 },
};
const lockConfig = (rule: string) =>
  `<ObjectLockConfiguration ${NS}><ObjectLockEnabled>Enabled</ObjectLockEnabled>${rule}</ObjectLockConfiguration>`;
const governance30 = '<Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>30</Days></DefaultRetention></Rule>';
const path = `/${BUCKET}/`;

/** Expects the four bucket settings once each and returns what was sent, by subresource. */
function expectSettings(): Record<string, SeenRequest[]> {
  return Object.fromEntries(['versioning', 'encryption', 'lifecycle', 'cors'].map((kind) => [kind, expectS3('PUT', path, [kind], () => [200])]));
}

describe('setUpBucket', () => {
  const client = fakeS3Client();

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

  it('enables versioning, default encryption, the lifecycle rules and CORS, then sets the default retention', async () => {
    const sent = expectSettings();
    expectS3('GET', path, ['object-lock'], () => [200, lockConfig('')]);
    const lock = expectS3('PUT', path, ['object-lock'], () => [200]);
    const report = await setUpBucket(client, setup);
    expect(sent.versioning?.[0]?.body).to.include(`<VersioningConfiguration ${NS}><Status>Enabled</Status></VersioningConfiguration>`);
    expect(sent.encryption?.[0]?.body).to.include(
      '<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>key-1</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule>',
    );
    const lifecycle = sent.lifecycle?.[0]?.body ?? '';
    expect(lifecycle).to.include('<AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload>');
    expect(lifecycle).to.include(
      '<Transition><Days>730</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Transition><Days>2920</Days><StorageClass>GLACIER</StorageClass></Transition><Transition><Days>5475</Days><StorageClass>DEEP_ARCHIVE</StorageClass></Transition>',
    );
    expect(lifecycle).to.include('<NoncurrentVersionExpiration><NoncurrentDays>30</NoncurrentDays></NoncurrentVersionExpiration>');
    const cors = sent.cors?.[0]?.body ?? '';
    expect(cors).to.include('<AllowedOrigin>https://app.example.com</AllowedOrigin>').and.include('<ExposeHeader>ETag</ExposeHeader>');
    expect(cors).to.include('<AllowedMethod>PUT</AllowedMethod>');
    expect(lock[0]?.body).to.include(lockConfig(governance30));
    expect(report.at(-1)).to.equal('object lock: default retention GOVERNANCE 30 days');
  });

  it('sends the same settings when run again, and leaves a retention already in place alone', async () => {
    const first = expectSettings();
    expectS3('GET', path, ['object-lock'], () => [200, lockConfig('')]);
    expectS3('PUT', path, ['object-lock'], () => [200]);
    await setUpBucket(client, setup);
    const second = expectSettings();
    expectS3('GET', path, ['object-lock'], () => [200, lockConfig(governance30)]);
    const report = await setUpBucket(client, setup);
    for (const kind of ['versioning', 'encryption', 'lifecycle', 'cors']) expect(second[kind]?.[0]?.body).to.equal(first[kind]?.[0]?.body);
    expect(report.at(-1)).to.equal('object lock: default retention already GOVERNANCE 30 days');
  });

  it('sets no retention on a bucket created without object lock, and no CORS without origins', async () => {
    for (const kind of ['versioning', 'encryption', 'lifecycle']) expectS3('PUT', path, [kind], () => [200]);
    expectS3('GET', path, ['object-lock'], () => xmlError(404, 'ObjectLockConfigurationNotFoundError'));
    const report = await setUpBucket(client, { ...setup, corsOrigins: [] });
    expect(report).to.include('cors: skipped (no origins configured)');
    expect(report.at(-1)).to.equal('object lock: not enabled on this bucket, nothing to do');
  });

  it('sets no default retention unless its days are configured', async () => {
    expectSettings();
    expectS3('GET', path, ['object-lock'], () => [200, lockConfig('')]);
    const report = await setUpBucket(client, { ...setup, lock: { mode: 'COMPLIANCE' } });
    expect(report.at(-1)).to.match(/no default retention configured/);
  });
});
