import type {
  CORSRule,
  LifecycleRule,
  NotificationConfiguration,
  ObjectLockConfiguration,
  ObjectLockRetentionMode,
  ServerSideEncryptionConfiguration,
  TransitionStorageClass,
} from '@aws-sdk/client-s3';
import type { SseSettings } from './s3-requests.js';

/** Days after which each lifecycle step happens; 0 turns that step off. */
export interface LifecycleDays {
  standardIa: number;
  glacier: number;
  deepArchive: number;
  abortMultipart: number;
  noncurrentExpire: number;
}

export interface DefaultRetention {
  mode: ObjectLockRetentionMode;
  /** No default retention without an explicit number: a COMPLIANCE one cannot be undone. */
  days?: number;
}

const FILES_PREFIX = 'files/';

/** Cheaper storage as files age, unfinished uploads cleared, and replaced or deleted versions purged. */
export function lifecycleRules(days: LifecycleDays): LifecycleRule[] {
  const tiers: [number, TransitionStorageClass][] = [
    [days.standardIa, 'STANDARD_IA'],
    [days.glacier, 'GLACIER'],
    [days.deepArchive, 'DEEP_ARCHIVE'],
  ];
  const transitions = tiers.filter(([d]) => d > 0).map(([Days, StorageClass]) => ({ Days, StorageClass }));
  const rules: LifecycleRule[] = [
    {
      ID: 'portico-abort-incomplete-multipart',
      Status: 'Enabled',
      Filter: { Prefix: '' },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: days.abortMultipart },
    },
  ];
  if (transitions.length > 0)
    rules.push({
      ID: 'portico-files-tiering',
      Status: 'Enabled',
      Filter: { Prefix: FILES_PREFIX },
      Transitions: transitions,
    });
  if (days.noncurrentExpire > 0) {
    rules.push({
      ID: 'portico-expire-noncurrent-versions',
      Status: 'Enabled',
      Filter: { Prefix: FILES_PREFIX },
      NoncurrentVersionExpiration: { NoncurrentDays: days.noncurrentExpire },
      Expiration: { ExpiredObjectDeleteMarker: true },
    });
  }
  return rules;
}

/** Browsers PUT to pre-signed URLs from these origins and must read the ETag of each part. */
export function corsRules(origins: string[]): CORSRule[] {
  return [
    {
      ID: 'portico-browser-uploads',
      AllowedOrigins: origins,
      AllowedMethods: ['GET', 'HEAD', 'PUT'],
      AllowedHeaders: ['content-type', 'x-amz-*'],
      ExposeHeaders: ['ETag', 'x-amz-version-id'],
      MaxAgeSeconds: 3000,
    },
  ];
}

/** Default encryption for anything written without our headers; bucket keys cut KMS request costs. */
export function encryptionConfiguration(sse?: SseSettings): ServerSideEncryptionConfiguration {
  const mode = sse?.mode ?? 'AES256';
  const KMSMasterKeyID = mode === 'aws:kms' ? sse?.kmsKeyId : undefined;
  return {
    Rules: [
      {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: mode, ...(KMSMasterKeyID ? { KMSMasterKeyID } : {}) },
        BucketKeyEnabled: mode === 'aws:kms',
      },
    ],
  };
}

export function objectLockConfiguration(retention: Required<DefaultRetention>): ObjectLockConfiguration {
  return { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: retention.mode, Days: retention.days } } };
}

/** Some S3-compatible servers (moto) report `Years: 0` next to `Days`; that is no years. */
export function hasDefaultRetention(
  current: ObjectLockConfiguration | undefined,
  retention: Required<DefaultRetention>,
): boolean {
  const rule = current?.Rule?.DefaultRetention;
  return rule?.Mode === retention.mode && rule.Days === retention.days && !rule.Years;
}

/** What the bucket tells its events queue: every new object, every removal, every expiration, under `files/`. */
export const S3_EVENT_TYPES = ['s3:ObjectCreated:*', 's3:ObjectRemoved:*', 's3:LifecycleExpiration:*'] as const;

/** The bucket's whole notification configuration: the events queue (PutBucketNotificationConfiguration replaces every other). */
export function eventNotifications(queueArn: string): NotificationConfiguration {
  return {
    QueueConfigurations: [
      {
        Id: 'portico-s3-events',
        QueueArn: queueArn,
        Events: [...S3_EVENT_TYPES],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: FILES_PREFIX }] } },
      },
    ],
  };
}
