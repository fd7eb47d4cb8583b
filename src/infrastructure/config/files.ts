import path from 'node:path';
import { z } from 'zod';
import { bool, days, GIB, int, MIB, type Rule } from './helpers.js';
import type { ServerValues } from './server.js';

export const filesFields = {
  FILE_STORE: z.enum(['local', 's3', 'memory']).default('local'),
  FILES_DIR: z.string().min(1).optional(),
  FILE_URL_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  MAX_UPLOAD_BYTES: int(1, 5 * 1024 * GIB).default(5 * GIB),
  MULTIPART_THRESHOLD_BYTES: int(5 * MIB, 5 * GIB).default(100 * MIB),
  MULTIPART_PART_BYTES: int(5 * MIB, 5 * GIB).default(5 * MIB),
  MULTIPART_QUEUE_SIZE: int(1, 64).default(4),
  PRESIGN_MAX_SECONDS: int(1, 604_800).default(900),
  FILE_DELETE_CONCURRENCY: int(1, 256).default(8),
  UPLOAD_ABANDON_AFTER_HOURS: int(1, 8_760).optional(),
  UPLOAD_SWEEP_INTERVAL_MINUTES: int(0, 10_080).default(60),
  S3_BUCKET: z.string().min(3).optional(),
  S3_REGION: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
  S3_SSE: z.enum(['AES256', 'aws:kms', 'none']).default('AES256'),
  S3_SSE_KMS_KEY_ID: z.string().min(1).optional(),
  S3_LIFECYCLE_STANDARD_IA_DAYS: days.default(730),
  S3_LIFECYCLE_GLACIER_DAYS: days.default(2920),
  S3_LIFECYCLE_DEEP_ARCHIVE_DAYS: days.default(5475),
  S3_LIFECYCLE_ABORT_MULTIPART_DAYS: int(1, 365).default(7),
  S3_LIFECYCLE_NONCURRENT_EXPIRE_DAYS: days.default(30),
  S3_LOCK_RETENTION_MODE: z.enum(['GOVERNANCE', 'COMPLIANCE']).default('GOVERNANCE'),
  S3_LOCK_RETENTION_DAYS: int(1, 36_500).optional(),
};
type FilesValues = z.output<z.ZodObject<typeof filesFields>>;

const tiersOutOfOrder = (v: FilesValues) => {
  const tiers = [v.S3_LIFECYCLE_STANDARD_IA_DAYS, v.S3_LIFECYCLE_GLACIER_DAYS, v.S3_LIFECYCLE_DEEP_ARCHIVE_DAYS];
  const on = tiers.filter((d) => d > 0);
  return on.some((d, i) => i > 0 && d <= (on[i - 1] ?? 0));
};

export const filesRules: Rule<FilesValues>[] = [
  {
    name: 'S3_BUCKET',
    reads: ['FILE_STORE', 'S3_BUCKET'],
    message: 'required when FILE_STORE=s3',
    broken: (v) => v.FILE_STORE === 's3' && !v.S3_BUCKET,
  },
  {
    name: 'S3_SSE_KMS_KEY_ID',
    reads: ['S3_SSE_KMS_KEY_ID', 'S3_SSE'],
    message: 'only with S3_SSE=aws:kms',
    broken: (v) => v.S3_SSE_KMS_KEY_ID !== undefined && v.S3_SSE !== 'aws:kms',
  },
  {
    name: 'S3_FORCE_PATH_STYLE',
    reads: ['S3_FORCE_PATH_STYLE', 'S3_BUCKET'],
    message: 'cannot be used with an access-point ARN',
    broken: (v) => v.S3_FORCE_PATH_STYLE && v.S3_BUCKET?.startsWith('arn:') === true,
  },
  // A link still valid could otherwise write to an upload the sweep has already removed.
  {
    name: 'UPLOAD_ABANDON_AFTER_HOURS',
    reads: ['UPLOAD_ABANDON_AFTER_HOURS', 'PRESIGN_MAX_SECONDS'],
    message: 'must be longer than PRESIGN_MAX_SECONDS',
    broken: (v) =>
      v.UPLOAD_ABANDON_AFTER_HOURS !== undefined && v.UPLOAD_ABANDON_AFTER_HOURS * 3600 <= v.PRESIGN_MAX_SECONDS,
  },
  {
    name: 'MULTIPART_PART_BYTES',
    reads: ['MAX_UPLOAD_BYTES', 'MULTIPART_PART_BYTES'],
    message: 'too small for MAX_UPLOAD_BYTES: S3 allows at most 10000 parts',
    broken: (v) => Math.ceil(v.MAX_UPLOAD_BYTES / v.MULTIPART_PART_BYTES) > 10_000,
  },
  {
    name: 'S3_LIFECYCLE_GLACIER_DAYS',
    reads: ['S3_LIFECYCLE_STANDARD_IA_DAYS', 'S3_LIFECYCLE_GLACIER_DAYS', 'S3_LIFECYCLE_DEEP_ARCHIVE_DAYS'],
    message: 'lifecycle transitions must come in increasing days (IA, GLACIER, DEEP_ARCHIVE)',
    broken: tiersOutOfOrder,
  },
  {
    name: 'S3_LIFECYCLE_STANDARD_IA_DAYS',
    reads: ['S3_LIFECYCLE_STANDARD_IA_DAYS'],
    message: 'S3 needs at least 30',
    broken: (v) => v.S3_LIFECYCLE_STANDARD_IA_DAYS > 0 && v.S3_LIFECYCLE_STANDARD_IA_DAYS < 30,
  },
];

/** A day, unless pre-signed links live longer: then the first whole hour after they expire. */
const abandonAfterHours = (v: FilesValues) =>
  v.UPLOAD_ABANDON_AFTER_HOURS ?? Math.max(24, Math.floor(v.PRESIGN_MAX_SECONDS / 3600) + 1);

/**
 * `config.files`. The S3 part goes to the S3 adapters, which declare what they read (`SseSettings`
 * in s3-requests.ts; `BucketSetup` and `LifecycleDays` in s3-bucket-setup.ts and bucket-settings.ts).
 */
export const files = (v: FilesValues & Pick<ServerValues, 'DATA_DIR' | 'CORS_ORIGINS'>) => ({
  store: v.FILE_STORE,
  /** Absolute; the local-disk store's root. */
  dir: path.resolve(v.FILES_DIR ?? path.join(v.DATA_DIR, 'files')),
  /** HMAC key for local-disk links; when absent the composition root derives one from the signing key. */
  urlSecret: v.FILE_URL_SECRET,
  maxUploadBytes: v.MAX_UPLOAD_BYTES,
  multipart: {
    thresholdBytes: v.MULTIPART_THRESHOLD_BYTES,
    partBytes: v.MULTIPART_PART_BYTES,
    queueSize: v.MULTIPART_QUEUE_SIZE,
  },
  presignMaxSeconds: v.PRESIGN_MAX_SECONDS,
  deleteConcurrency: v.FILE_DELETE_CONCURRENCY,
  /** Direct uploads pending after `abandonAfterHours` are removed every `sweepIntervalMinutes` (0: only by `npm run uploads:sweep`). */
  abandonedUploads: { abandonAfterHours: abandonAfterHours(v), sweepIntervalMinutes: v.UPLOAD_SWEEP_INTERVAL_MINUTES },
  s3: {
    bucket: v.S3_BUCKET,
    region: v.S3_REGION,
    forcePathStyle: v.S3_FORCE_PATH_STYLE,
    sse: v.S3_SSE === 'none' ? undefined : { mode: v.S3_SSE, kmsKeyId: v.S3_SSE_KMS_KEY_ID },
    corsOrigins: v.CORS_ORIGINS,
    /** Days after which each step happens; 0 turns a step off. */
    lifecycle: {
      standardIa: v.S3_LIFECYCLE_STANDARD_IA_DAYS,
      glacier: v.S3_LIFECYCLE_GLACIER_DAYS,
      deepArchive: v.S3_LIFECYCLE_DEEP_ARCHIVE_DAYS,
      abortMultipart: v.S3_LIFECYCLE_ABORT_MULTIPART_DAYS,
      noncurrentExpire: v.S3_LIFECYCLE_NONCURRENT_EXPIRE_DAYS,
    },
    lock: { mode: v.S3_LOCK_RETENTION_MODE, days: v.S3_LOCK_RETENTION_DAYS },
  },
});
