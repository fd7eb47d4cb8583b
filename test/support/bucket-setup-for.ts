import type { BucketSetup } from '../../src/adapters/files/s3/s3-bucket-setup.js';

/** Every bucket setting on: SSE-KMS with this key, the lifecycle rules, CORS for one origin, GOVERNANCE 30 days. */
export const bucketSetupFor = (bucket: string, kmsKeyId: string): BucketSetup => ({
  bucket,
  sse: { mode: 'aws:kms', kmsKeyId },
  lifecycle: { standardIa: 730, glacier: 2920, deepArchive: 5475, abortMultipart: 7, noncurrentExpire: 30 },
  corsOrigins: ['https://app.example.com'],
  lock: { mode: 'GOVERNANCE', days: 30 },
});
