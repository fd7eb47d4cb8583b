import {
  GetObjectLockConfigurationCommand,
  PutBucketCorsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  type ObjectLockConfiguration,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  corsRules,
  encryptionConfiguration,
  eventNotifications,
  hasDefaultRetention,
  lifecycleRules,
  objectLockConfiguration,
  type DefaultRetention,
  type LifecycleDays,
} from './bucket-settings.js';
import type { SseSettings } from './s3-requests.js';

export interface BucketSetup {
  bucket: string;
  sse?: SseSettings;
  lifecycle: LifecycleDays;
  corsOrigins: string[];
  lock: DefaultRetention;
  /** The queue (its ARN) the bucket's event notifications go to; notifications are left alone when absent. */
  events?: { queueArn: string };
}

async function currentObjectLock(client: S3Client, bucket: string): Promise<ObjectLockConfiguration | undefined> {
  try {
    return (await client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))).ObjectLockConfiguration;
  } catch (error) {
    if ((error as { name?: string }).name === 'ObjectLockConfigurationNotFoundError') return undefined;
    throw error;
  }
}

/**
 * Brings a bucket to the configured state and says what it did, one line per setting. Each call
 * replaces that whole setting, so running it again changes nothing. Object lock can only be
 * enabled when a bucket is created; here it only gets its default retention.
 */
export async function setUpBucket(client: S3Client, setup: BucketSetup): Promise<string[]> {
  const Bucket = setup.bucket;
  const done: string[] = [];
  await client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  done.push('versioning: enabled');
  const encryption = encryptionConfiguration(setup.sse);
  await client.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: encryption }));
  done.push(`default encryption: ${encryption.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm}`);
  const rules = lifecycleRules(setup.lifecycle);
  await client.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: rules } }));
  done.push(`lifecycle: ${rules.map((r) => r.ID).join(', ')}`);
  if (setup.corsOrigins.length > 0) {
    await client.send(
      new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: corsRules(setup.corsOrigins) } }),
    );
    done.push(`cors: ${setup.corsOrigins.join(', ')}`);
  } else {
    done.push('cors: skipped (no origins configured)');
  }
  if (setup.events) {
    const NotificationConfiguration = eventNotifications(setup.events.queueArn);
    await client.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration }));
    done.push(
      `event notifications: ${NotificationConfiguration.QueueConfigurations?.[0]?.Events?.join(', ')} -> ${setup.events.queueArn}`,
    );
  }
  done.push(await applyDefaultRetention(client, Bucket, setup.lock));
  return done;
}

async function applyDefaultRetention(client: S3Client, Bucket: string, lock: DefaultRetention): Promise<string> {
  const current = await currentObjectLock(client, Bucket);
  if (current?.ObjectLockEnabled !== 'Enabled') return 'object lock: not enabled on this bucket, nothing to do';
  if (lock.days === undefined) return 'object lock: enabled; no default retention configured (S3_LOCK_RETENTION_DAYS)';
  const wanted = { mode: lock.mode, days: lock.days };
  if (hasDefaultRetention(current, wanted))
    return `object lock: default retention already ${lock.mode} ${lock.days} days`;
  await client.send(
    new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: objectLockConfiguration(wanted) }),
  );
  return `object lock: default retention ${lock.mode} ${lock.days} days`;
}
