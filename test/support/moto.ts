import { randomBytes } from 'node:crypto';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectLegalHoldCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import nock from 'nock';
import { createS3Client } from '../../src/adapters/files/s3/s3-client.js';
import { requireService, serviceSetting } from './services.js';

/** moto accepts any key pair; these are the ones `npm run services` writes. */
export interface Moto {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Suites on moto (S3, SSM, KMS, SQS) call this in `before`: the server `npm run services` starts.
 * Under CI a missing one fails the suite; elsewhere it is skipped with the reason printed.
 */
export function requireMoto(ctx: Mocha.Context): Moto {
  return motoAt(requireService(ctx, 'MOTO_URL', 'moto (S3, SSM, KMS, SQS)'));
}

/** moto at `endpoint`, with the region and stand-in credentials `npm run services` wrote. */
export function motoAt(endpoint: string): Moto {
  return {
    endpoint,
    region: serviceSetting('AWS_REGION') ?? 'us-east-1',
    credentials: {
      accessKeyId: serviceSetting('AWS_ACCESS_KEY_ID') ?? 'moto-test',
      secretAccessKey: serviceSetting('AWS_SECRET_ACCESS_KEY') ?? 'moto-test',
    },
  };
}

/** The environment that points the app's own SDK clients (and a child process's) at moto. */
export const motoEnv = (moto: Moto): Record<string, string> => ({
  AWS_ENDPOINT_URL_S3: moto.endpoint,
  AWS_ENDPOINT_URL_SSM: moto.endpoint,
  AWS_ENDPOINT_URL_KMS: moto.endpoint,
  AWS_ENDPOINT_URL_SQS: moto.endpoint,
  AWS_ACCESS_KEY_ID: moto.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: moto.credentials.secretAccessKey,
  AWS_REGION: moto.region,
});

/** The app's S3 client (same checksum settings), path style, on moto. */
export const motoS3Client = (moto: Moto): S3Client =>
  createS3Client(
    { region: moto.region, forcePathStyle: true },
    { endpoint: moto.endpoint, credentials: moto.credentials },
  );

export const motoSsmClient = (moto: Moto): SSMClient =>
  new SSMClient({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });

/** A symmetric key made in moto's KMS, for SSE-KMS; its id. */
export async function createKmsKey(moto: Moto): Promise<string> {
  const kms = new KMSClient({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });
  try {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'portico test key' }));
    if (!KeyMetadata?.KeyId) throw new Error('moto KMS made no key');
    return KeyMetadata.KeyId;
  } finally {
    kms.destroy();
  }
}

export interface TestBucket {
  name: string;
  /** Every version and delete marker, then the bucket: legal holds lifted, governance retention bypassed. */
  remove(): Promise<void>;
}

/** A bucket of its own on moto, so suites never see each other's objects. */
export async function createTestBucket(
  client: S3Client,
  options: { versioning?: boolean; objectLock?: boolean } = {},
): Promise<TestBucket> {
  const name = `portico-test-${randomBytes(6).toString('hex')}`;
  await client.send(
    new CreateBucketCommand({ Bucket: name, ObjectLockEnabledForBucket: options.objectLock || undefined }),
  );
  if (options.versioning && !options.objectLock) {
    await client.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
  }
  return { name, remove: () => removeBucket(client, name) };
}

async function removeBucket(client: S3Client, bucket: string): Promise<void> {
  for (let page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket })); ;) {
    const entries = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])];
    for (const { Key, VersionId } of page.Versions ?? []) {
      await client
        .send(new PutObjectLegalHoldCommand({ Bucket: bucket, Key, VersionId, LegalHold: { Status: 'OFF' } }))
        .catch(() => undefined);
    }
    for (const { Key, VersionId } of entries) {
      await client
        .send(new DeleteObjectCommand({ Bucket: bucket, Key, VersionId, BypassGovernanceRetention: true }))
        .catch(() => undefined);
    }
    if (!page.IsTruncated) break;
    page = await client.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        KeyMarker: page.NextKeyMarker,
        VersionIdMarker: page.NextVersionIdMarker,
      }),
    );
  }
  // A version under compliance retention cannot go; moto keeps the bucket then, as S3 would.
  await client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
}

/** The ids of the multipart uploads still open in `bucket`, under `prefix` if given. */
export async function openUploads(client: S3Client, bucket: string, prefix?: string): Promise<string[]> {
  const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }));
  return (listed.Uploads ?? []).map((u) => u.UploadId ?? '');
}

export interface MotoBucket {
  moto: Moto;
  client: S3Client;
  bucket: TestBucket;
}

/**
 * For a describe block on moto's S3: a client and a bucket of its own, valid in its tests and hooks
 * (set before the block's own `before` runs), removed after it; nock lets only loopback through.
 */
export function useMotoBucket(options: { versioning?: boolean; objectLock?: boolean }): MotoBucket {
  const given = {} as MotoBucket;
  before(async function () {
    given.moto = requireMoto(this);
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    given.client = motoS3Client(given.moto);
    given.bucket = await createTestBucket(given.client, options);
  });
  after(async () => {
    if (!given.client) return;
    await given.bucket.remove();
    given.client.destroy();
    nock.enableNetConnect();
  });
  return given;
}
