import type { S3FileStoreSettings } from '../../src/adapters/files/s3/s3-file-store.js';

const MIB = 1024 * 1024;

/** What the suites' S3FileStores share: 5 MiB parts from 5 MiB on, two in flight, links for 15 minutes. */
export const s3StoreSettings = (bucket: string, more: Partial<S3FileStoreSettings> = {}): S3FileStoreSettings => ({
  bucket,
  multipartThresholdBytes: 5 * MIB,
  partBytes: 5 * MIB,
  queueSize: 2,
  presignMaxSeconds: 900,
  ...more,
});
