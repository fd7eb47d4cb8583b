import {
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { setUpBucket } from '../../../src/adapters/files/s3/s3-bucket-setup.js';
import { bucketSetupFor } from '../../support/bucket-setup-for.js';
import {
  createKmsKey,
  createTestBucket,
  motoEnv,
  motoS3Client,
  requireMoto,
  type Moto,
  type TestBucket,
} from '../../support/moto.js';
import { startChild, type Finished } from '../../support/start-child.js';

/** The five settings as the server reports them back, SDK metadata left out. */
async function readBack(client: S3Client, Bucket: string) {
  const settled = <T>(call: Promise<T>) => call.catch((error: { name?: string }) => error.name);
  const [versioning, encryption, lifecycleRules, cors, lock] = await Promise.all([
    client.send(new GetBucketVersioningCommand({ Bucket })).then((o) => o.Status),
    settled(
      client.send(new GetBucketEncryptionCommand({ Bucket })).then((o) => o.ServerSideEncryptionConfiguration?.Rules),
    ),
    settled(client.send(new GetBucketLifecycleConfigurationCommand({ Bucket })).then((o) => o.Rules)),
    settled(client.send(new GetBucketCorsCommand({ Bucket })).then((o) => o.CORSRules)),
    settled(client.send(new GetObjectLockConfigurationCommand({ Bucket })).then((o) => o.ObjectLockConfiguration)),
  ]);
  return { versioning, encryption, lifecycle: lifecycleRules, cors, lock };
}

/** What the settings above ask for, written out rather than derived from the code under test. */
const expectedState = (kmsKeyId: string) => ({
  versioning: 'Enabled',
  encryption: [
    {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kmsKeyId },
      BucketKeyEnabled: true,
    },
  ],
  lifecycle: [
    {
      ID: 'portico-abort-incomplete-multipart',
      Status: 'Enabled',
      Filter: { Prefix: '' },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    },
    {
      ID: 'portico-files-tiering',
      Status: 'Enabled',
      Filter: { Prefix: 'files/' },
      Transitions: [
        { Days: 730, StorageClass: 'STANDARD_IA' },
        { Days: 2920, StorageClass: 'GLACIER' },
        { Days: 5475, StorageClass: 'DEEP_ARCHIVE' },
      ],
    },
    {
      ID: 'portico-expire-noncurrent-versions',
      Status: 'Enabled',
      Filter: { Prefix: 'files/' },
      NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      Expiration: { ExpiredObjectDeleteMarker: true },
    },
  ],
  cors: [
    {
      ID: 'portico-browser-uploads',
      AllowedOrigins: ['https://app.example.com'],
      AllowedMethods: ['GET', 'HEAD', 'PUT'],
      AllowedHeaders: ['content-type', 'x-amz-*'],
      ExposeHeaders: ['ETag', 'x-amz-version-id'],
      MaxAgeSeconds: 3000,
    },
  ],
  // moto reports `Years: 0` next to `Days`; S3 sends only the one that was set.
  lock: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30, Years: 0 } } },
});

// Faults a server cannot be made to produce are in bucket-setup-faults.test.ts.
describe('setUpBucket on moto', function () {
  this.timeout(60_000);
  let moto: Moto;
  let client: S3Client;
  let kmsKeyId: string;
  const buckets: TestBucket[] = [];
  const aBucket = async (objectLock: boolean) => {
    const bucket = await createTestBucket(client, { objectLock });
    buckets.push(bucket);
    return bucket.name;
  };

  before(async function () {
    moto = requireMoto(this);
    client = motoS3Client(moto);
    kmsKeyId = await createKmsKey(moto);
  });
  after(async () => {
    for (const bucket of buckets) await bucket.remove();
    client?.destroy();
  });

  it('brings a bucket created with object lock to the configured state, and a second run leaves it as it is', async () => {
    const bucket = await aBucket(true);
    const first = await setUpBucket(client, bucketSetupFor(bucket, kmsKeyId));
    expect(first).to.deep.equal([
      'versioning: enabled',
      'default encryption: aws:kms',
      'lifecycle: portico-abort-incomplete-multipart, portico-files-tiering, portico-expire-noncurrent-versions',
      'cors: https://app.example.com',
      'object lock: default retention GOVERNANCE 30 days',
    ]);
    const state = await readBack(client, bucket);
    expect(state).to.deep.equal(expectedState(kmsKeyId));

    const second = await setUpBucket(client, bucketSetupFor(bucket, kmsKeyId));
    expect(second.at(-1)).to.equal('object lock: default retention already GOVERNANCE 30 days');
    expect(await readBack(client, bucket)).to.deep.equal(state);
  });

  it('sets no retention on a bucket created without object lock, no CORS without origins, and AES256 without a KMS key', async () => {
    const bucket = await aBucket(false);
    const report = await setUpBucket(client, { ...bucketSetupFor(bucket, kmsKeyId), sse: undefined, corsOrigins: [] });
    expect(report.slice(1)).to.deep.equal([
      'default encryption: AES256',
      'lifecycle: portico-abort-incomplete-multipart, portico-files-tiering, portico-expire-noncurrent-versions',
      'cors: skipped (no origins configured)',
      'object lock: not enabled on this bucket, nothing to do',
    ]);
    const state = await readBack(client, bucket);
    expect(state).to.deep.include({
      versioning: 'Enabled',
      encryption: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
      cors: 'NoSuchCORSConfiguration',
      lock: 'ObjectLockConfigurationNotFoundError',
    });
  });

  it('leaves a lock bucket without default retention unless its days are configured', async () => {
    const bucket = await aBucket(true);
    const report = await setUpBucket(client, { ...bucketSetupFor(bucket, kmsKeyId), lock: { mode: 'COMPLIANCE' } });
    expect(report.at(-1)).to.equal('object lock: enabled; no default retention configured (S3_LOCK_RETENTION_DAYS)');
    expect((await readBack(client, bucket)).lock).to.deep.equal({ ObjectLockEnabled: 'Enabled' });
  });

  describe('npm run bucket:setup', () => {
    // Region and path style come from our settings; endpoint and keys reach the SDK through its own
    // standard variables, as in production.
    const cli = (env: Record<string, string>, ...args: string[]) =>
      startChild(
        'npm',
        ['run', '--silent', 'bucket:setup', '--', ...args],
        { ...motoEnv(moto), S3_REGION: moto.region, S3_FORCE_PATH_STYLE: 'true', ...env },
        { limitMs: 45_000 },
      ).finished;
    /** What a run that exits 0 wrote to stdout. */
    const succeeded = async (run: Promise<Finished>) => {
      const { code, stdout, output } = await run;
      expect(code, output).to.equal(0);
      return stdout;
    };

    it('sets up the bucket S3_BUCKET names from the settings in the environment, twice with the same result', async () => {
      const bucket = await aBucket(true);
      const env = {
        S3_BUCKET: bucket,
        S3_SSE: 'aws:kms',
        S3_SSE_KMS_KEY_ID: kmsKeyId,
        CORS_ORIGINS: 'https://app.example.com',
        S3_LOCK_RETENTION_DAYS: '30',
      };
      const stdout = await succeeded(cli(env));
      expect(stdout)
        .to.include('object lock: default retention GOVERNANCE 30 days')
        .and.include(`bucket ${bucket}: set up`);
      expect(await readBack(client, bucket)).to.deep.equal(expectedState(kmsKeyId));
      const again = await succeeded(cli(env));
      expect(again).to.include('object lock: default retention already GOVERNANCE 30 days');
      expect(await readBack(client, bucket)).to.deep.equal(expectedState(kmsKeyId));
    });

    it('takes --bucket over S3_BUCKET, and the lifecycle days from the environment', async () => {
      const bucket = await aBucket(false);
      const stdout = await succeeded(
        cli(
          {
            S3_BUCKET: 'some-other-bucket',
            S3_SSE: 'AES256',
            S3_LIFECYCLE_GLACIER_DAYS: '0',
            S3_LIFECYCLE_DEEP_ARCHIVE_DAYS: '0',
          },
          '--bucket',
          bucket,
        ),
      );
      expect(stdout).to.include(`bucket ${bucket}: set up`);
      const tiering = ((await readBack(client, bucket)).lifecycle as { ID?: string; Transitions?: unknown }[]).find(
        (r) => r.ID === 'portico-files-tiering',
      );
      expect(tiering?.Transitions).to.deep.equal([{ Days: 730, StorageClass: 'STANDARD_IA' }]);
    });

    it('exits 1 with the S3 error for a bucket that does not exist, and 2 with the usage for bad arguments', async () => {
      const missing = await cli({}, '--bucket', 'portico-test-no-such-bucket');
      expect(missing.code).to.equal(1);
      expect(missing.stderr).to.include('The specified bucket does not exist');
      const misused = await cli({}, '--bucket');
      expect(misused.code).to.equal(2);
      expect(misused.stderr).to.include('usage: npm run bucket:setup');
    });
  });
});
