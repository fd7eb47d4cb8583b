import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const list = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));
const days = int(0, 36_500);

const schema = z
  .object({
    DATA_DIR: z.string().min(1).default('./data'),
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
    CORS_ORIGINS: list.default([]),
    S3_LIFECYCLE_STANDARD_IA_DAYS: days.default(730),
    S3_LIFECYCLE_GLACIER_DAYS: days.default(2920),
    S3_LIFECYCLE_DEEP_ARCHIVE_DAYS: days.default(5475),
    S3_LIFECYCLE_ABORT_MULTIPART_DAYS: int(1, 365).default(7),
    S3_LIFECYCLE_NONCURRENT_EXPIRE_DAYS: days.default(30),
    S3_LOCK_RETENTION_MODE: z.enum(['GOVERNANCE', 'COMPLIANCE']).default('GOVERNANCE'),
    S3_LOCK_RETENTION_DAYS: int(1, 36_500).optional(),
  })
  .superRefine((v, ctx) => {
    const problem = (name: string, message: string) => ctx.addIssue({ code: 'custom', path: [name], message });
    if (v.FILE_STORE === 's3' && !v.S3_BUCKET) problem('S3_BUCKET', 'required when FILE_STORE=s3');
    if (v.S3_SSE_KMS_KEY_ID && v.S3_SSE !== 'aws:kms') problem('S3_SSE_KMS_KEY_ID', 'only with S3_SSE=aws:kms');
    if (v.S3_FORCE_PATH_STYLE && v.S3_BUCKET?.startsWith('arn:')) problem('S3_FORCE_PATH_STYLE', 'cannot be used with an access-point ARN');
    // A link still valid could otherwise write to an upload the sweep has already removed.
    if (v.UPLOAD_ABANDON_AFTER_HOURS !== undefined && v.UPLOAD_ABANDON_AFTER_HOURS * 3600 <= v.PRESIGN_MAX_SECONDS) {
      problem('UPLOAD_ABANDON_AFTER_HOURS', 'must be longer than PRESIGN_MAX_SECONDS');
    }
    if (Math.ceil(v.MAX_UPLOAD_BYTES / v.MULTIPART_PART_BYTES) > 10_000) {
      problem('MULTIPART_PART_BYTES', 'too small for MAX_UPLOAD_BYTES: S3 allows at most 10000 parts');
    }
    const tiers = [v.S3_LIFECYCLE_STANDARD_IA_DAYS, v.S3_LIFECYCLE_GLACIER_DAYS, v.S3_LIFECYCLE_DEEP_ARCHIVE_DAYS].filter((d) => d > 0);
    if (tiers.some((d, i) => i > 0 && d <= (tiers[i - 1] ?? 0))) problem('S3_LIFECYCLE_GLACIER_DAYS', 'lifecycle transitions must come in increasing days (IA, GLACIER, DEEP_ARCHIVE)');
    if (v.S3_LIFECYCLE_STANDARD_IA_DAYS > 0 && v.S3_LIFECYCLE_STANDARD_IA_DAYS < 30) problem('S3_LIFECYCLE_STANDARD_IA_DAYS', 'S3 needs at least 30');
  });

type Parsed = z.infer<typeof schema>;

/** 0 turns a lifecycle step off. */
export interface LifecycleDays {
  standardIa: number;
  glacier: number;
  deepArchive: number;
  abortMultipart: number;
  noncurrentExpire: number;
}

export interface FilesConfig {
  store: 'local' | 's3' | 'memory';
  /** Absolute; the local-disk store's root. */
  dir: string;
  /** HMAC key for local-disk links; when absent the composition root makes a random one per process. */
  urlSecret?: string;
  maxUploadBytes: number;
  multipart: { thresholdBytes: number; partBytes: number; queueSize: number };
  presignMaxSeconds: number;
  deleteConcurrency: number;
  /** Direct uploads still pending after `abandonAfterHours` are removed, every `sweepIntervalMinutes` (0: only by `npm run uploads:sweep`). */
  abandonedUploads: { abandonAfterHours: number; sweepIntervalMinutes: number };
  s3: {
    bucket?: string;
    region?: string;
    forcePathStyle: boolean;
    sse?: { mode: 'AES256' | 'aws:kms'; kmsKeyId?: string };
    corsOrigins: string[];
    lifecycle: LifecycleDays;
    lock: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days?: number };
  };
}

/** A day, unless pre-signed links live longer: then the first whole hour after they expire. */
const abandonAfterHours = (v: Parsed) => v.UPLOAD_ABANDON_AFTER_HOURS ?? Math.max(24, Math.floor(v.PRESIGN_MAX_SECONDS / 3600) + 1);

function shape(v: Parsed): FilesConfig {
  return {
    store: v.FILE_STORE,
    dir: path.resolve(v.FILES_DIR ?? path.join(v.DATA_DIR, 'files')),
    urlSecret: v.FILE_URL_SECRET,
    maxUploadBytes: v.MAX_UPLOAD_BYTES,
    multipart: { thresholdBytes: v.MULTIPART_THRESHOLD_BYTES, partBytes: v.MULTIPART_PART_BYTES, queueSize: v.MULTIPART_QUEUE_SIZE },
    presignMaxSeconds: v.PRESIGN_MAX_SECONDS,
    deleteConcurrency: v.FILE_DELETE_CONCURRENCY,
    abandonedUploads: { abandonAfterHours: abandonAfterHours(v), sweepIntervalMinutes: v.UPLOAD_SWEEP_INTERVAL_MINUTES },
    s3: {
      bucket: v.S3_BUCKET,
      region: v.S3_REGION,
      forcePathStyle: v.S3_FORCE_PATH_STYLE,
      sse: v.S3_SSE === 'none' ? undefined : { mode: v.S3_SSE, kmsKeyId: v.S3_SSE_KMS_KEY_ID },
      corsOrigins: v.CORS_ORIGINS,
      lifecycle: {
        standardIa: v.S3_LIFECYCLE_STANDARD_IA_DAYS,
        glacier: v.S3_LIFECYCLE_GLACIER_DAYS,
        deepArchive: v.S3_LIFECYCLE_DEEP_ARCHIVE_DAYS,
        abortMultipart: v.S3_LIFECYCLE_ABORT_MULTIPART_DAYS,
        noncurrentExpire: v.S3_LIFECYCLE_NONCURRENT_EXPIRE_DAYS,
      },
      lock: { mode: v.S3_LOCK_RETENTION_MODE, days: v.S3_LOCK_RETENTION_DAYS },
    },
  };
}

/** File-storage settings, parsed like `parseConfig` (to be merged into it); names every bad setting, never a value. */
export function parseFilesConfig(source: Record<string, string | undefined>): FilesConfig {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return Object.freeze(shape(parsed.data));
}
