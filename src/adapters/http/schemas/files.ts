import { z } from 'zod';
import type { UploadPlan } from '../../../application/files/start-upload.js';
import { MAX_PARTS } from '../../../domain/file/part-plan.js';
import { FILE_NAME_MAX, FILE_STATUSES, type StoredFile } from '../../../domain/file/stored-file.js';
import type { ObjectVersion, UploadedPart } from '../../../domain/ports/file-store.js';
import { plainText } from './common.js';

export const FileSchema = z
  .object({
    id: z.uuid(),
    ownerId: z.uuid(),
    name: z.string(),
    contentType: z.string(),
    size: z.number().int().meta({ description: 'Bytes: declared while pending, measured once ready' }),
    status: z.enum(FILE_STATUSES).meta({
      description:
        '`pending` until a direct upload is complete; `gone` once its object was removed or expired outside the API ' +
        '(such a file is not listed and its own routes answer 410, but its versions can be listed and restored)',
    }),
    checksum: z
      .string()
      .optional()
      .meta({ description: 'Hex SHA-256, computed by the server while streaming (POST /v1/files only)' }),
    versionId: z.string().optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'File' });

export type FileView = z.infer<typeof FileSchema>;

/** Field by field: the upload id and the key stay inside. */
export const toFileView = (file: StoredFile): FileView => ({
  id: file.id,
  ownerId: file.ownerId,
  name: file.name,
  contentType: file.contentType,
  size: file.size,
  status: file.status,
  ...(file.checksum ? { checksum: file.checksum } : {}),
  ...(file.versionId ? { versionId: file.versionId } : {}),
  createdAt: file.createdAt.toISOString(),
  updatedAt: file.updatedAt.toISOString(),
});

export const FileEnvelope = z.object({ file: FileSchema }).meta({ id: 'FileEnvelope' });
export const FilePageSchema = z
  .object({ items: z.array(FileSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'FilePage' });

const nameField = plainText()
  .min(1)
  .max(FILE_NAME_MAX)
  .meta({ description: 'Metadata only: never part of a key or path', example: 'report.pdf' });
const versionIdField = plainText().min(1).max(1024);

export const UploadQuery = z.object({ name: nameField });

export const ListFilesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: plainText().min(1).max(512).optional().meta({ description: 'Opaque; pass back `nextCursor` unchanged' }),
  ownerId: z.uuid().optional().meta({ description: "Admins only: another user's files" }),
});

export const ContentQuery = z.object({ versionId: versionIdField.optional() });

export const DownloadUrlQuery = z.object({
  expiresIn: z.coerce
    .number()
    .int()
    .min(1)
    .max(604_800)
    .optional()
    .meta({ description: 'Seconds; clamped to the configured maximum (PRESIGN_MAX_SECONDS)' }),
  versionId: versionIdField.optional(),
});

export const DownloadUrlSchema = z.object({ url: z.url(), expiresAt: z.iso.datetime() }).meta({ id: 'DownloadUrl' });

export const versionParams = z.object({ id: z.uuid(), versionId: versionIdField });

export const StartUploadBody = z
  .strictObject({
    name: nameField,
    contentType: plainText().min(1).max(255).meta({ example: 'video/mp4' }),
    // int() alone stops at the largest safe integer without the document saying so; max() says it.
    size: z
      .number()
      .int()
      .min(0)
      .max(Number.MAX_SAFE_INTEGER)
      .meta({ description: 'Exact bytes; the store refuses any other length' }),
  })
  .meta({ id: 'StartUploadRequest' });

const SingleUpload = z.object({
  kind: z.literal('single'),
  method: z.literal('PUT'),
  url: z.string(),
  headers: z.record(z.string(), z.string()).meta({ description: 'Send exactly these with the PUT' }),
  expiresAt: z.iso.datetime(),
});
const MultipartUpload = z.object({
  kind: z.literal('multipart'),
  uploadId: z.string(),
  partSize: z.number().int().meta({ description: 'Every part but the last has exactly this size' }),
  parts: z.array(z.object({ partNumber: z.number().int(), url: z.string() })),
  expiresAt: z.iso.datetime(),
});
export const StartedUploadSchema = z
  .object({ file: FileSchema, upload: z.discriminatedUnion('kind', [SingleUpload, MultipartUpload]) })
  .meta({ id: 'StartedUpload' });

export const toPlanView = (plan: UploadPlan, absolute: (url: string) => string) =>
  plan.kind === 'single'
    ? { ...plan, url: absolute(plan.url), expiresAt: plan.expiresAt.toISOString() }
    : {
        ...plan,
        parts: plan.parts.map((p) => ({ partNumber: p.partNumber, url: absolute(p.url) })),
        expiresAt: plan.expiresAt.toISOString(),
      };

export const UploadProgressSchema = z
  .object({ parts: z.array(z.object({ partNumber: z.number().int(), etag: z.string(), size: z.number().int() })) })
  .meta({ id: 'UploadProgress' });

export const toPartView = ({ partNumber, etag, size }: UploadedPart) => ({ partNumber, etag, size });

export const CompleteUploadBody = z
  .strictObject({
    parts: z
      .array(z.strictObject({ partNumber: z.number().int().min(1).max(MAX_PARTS), etag: plainText().min(1).max(200) }))
      .min(1)
      .max(MAX_PARTS)
      .optional()
      .meta({ description: 'As returned by each part PUT (ETag header); the parts that arrived when absent' }),
  })
  .meta({ id: 'CompleteUploadRequest' });

export const VersionsSchema = z
  .object({
    items: z.array(
      z.object({
        versionId: z.string(),
        size: z.number().int(),
        etag: z.string(),
        lastModified: z.iso.datetime(),
        isLatest: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'FileVersions' });

export const toVersionView = (v: ObjectVersion) => ({ ...v, lastModified: v.lastModified.toISOString() });

export const LegalHoldBody = z.strictObject({ enabled: z.boolean() }).meta({ id: 'LegalHoldRequest' });
export const LegalHoldSchema = z.object({ legalHold: z.object({ enabled: z.boolean() }) }).meta({ id: 'LegalHold' });

export const RetentionBody = z
  .strictObject({ mode: z.enum(['GOVERNANCE', 'COMPLIANCE']), retainUntil: z.iso.datetime({ offset: true }) })
  .meta({ id: 'RetentionRequest' });
export const RetentionSchema = z
  .object({ retention: z.object({ mode: z.enum(['GOVERNANCE', 'COMPLIANCE']), retainUntil: z.iso.datetime() }) })
  .meta({ id: 'Retention' });

/** What a content answer carries, for the OpenAPI document. */
export const BinarySchema = z.string().meta({ format: 'binary' });
