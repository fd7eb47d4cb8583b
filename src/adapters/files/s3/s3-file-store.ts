import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  UploadPartCommand,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { fileFeatureUnsupported, uploadIncomplete } from '../../../domain/file/file-errors.js';
import type { FileKey } from '../../../domain/file/file-key.js';
import type { Clock } from '../../../domain/ports/clock.js';
import type {
  ByteRange,
  FileStore,
  ObjectContent,
  ObjectInfo,
  PartRef,
  PresignedRequest,
  PutInput,
  Retention,
  StoredObject,
} from '../../../domain/ports/file-store.js';
import { deleteAll } from '../delete-all.js';
import { assertPartNumber, clampLifetime, unquote } from '../store-rules.js';
import { mapS3Error, s3Call } from './s3-errors.js';
import { listAllParts, listAllVersions } from './s3-listings.js';
import { copySource, parseContentRange, sseHeaders, sseParams, type SseSettings } from './s3-requests.js';
import { uploadInParts } from './s3-parted-upload.js';
import { putStreaming } from './s3-streamed-upload.js';

export interface S3FileStoreSettings {
  /** A bucket name or an S3 access-point ARN. */
  bucket: string;
  sse?: SseSettings;
  /** Bodies of known length up to this go as one streamed PutObject; larger or unknown ones in parallel parts. */
  multipartThresholdBytes: number;
  partBytes: number;
  queueSize: number;
  presignMaxSeconds: number;
  deleteConcurrency?: number;
  /**
   * A checksum on every PutObject and UploadPart `put` sends: CRC32 trailer when streamed, Content-MD5
   * for buffered parts. A bucket with a default retention refuses writes without one. Pre-signed
   * URLs get none (the server never has the bytes).
   */
  checksums?: boolean;
  /** Signing time for pre-signed URLs; tests move it to produce expired ones. */
  clock?: Clock;
}

type SignOptions = NonNullable<Parameters<typeof getSignedUrl>[2]>;

function infoOf(out: HeadObjectCommandOutput, size = out.ContentLength ?? 0): ObjectInfo {
  const retention =
    out.ObjectLockMode && out.ObjectLockRetainUntilDate
      ? { mode: out.ObjectLockMode, retainUntil: out.ObjectLockRetainUntilDate }
      : undefined;
  return {
    size,
    contentType: out.ContentType ?? 'application/octet-stream',
    etag: unquote(out.ETag ?? ''),
    versionId: out.VersionId,
    lastModified: out.LastModified ?? new Date(0),
    ...(out.ObjectLockLegalHoldStatus ? { legalHold: out.ObjectLockLegalHoldStatus === 'ON' } : {}),
    ...(retention ? { retention } : {}),
  };
}

/** Files in S3 (or any S3-compatible endpoint), with server-side encryption on every write. */
export class S3FileStore implements FileStore {
  private readonly clock: Clock;

  constructor(
    private readonly client: S3Client,
    private readonly settings: S3FileStoreSettings,
  ) {
    this.clock = settings.clock ?? { now: () => new Date() };
  }

  async put(key: FileKey, input: PutInput): Promise<StoredObject> {
    const params = {
      ...this.target(key),
      Body: input.body,
      ContentType: input.contentType,
      ...sseParams(this.settings.sse),
    };
    const length = input.contentLength;
    if (length !== undefined && length <= this.settings.multipartThresholdBytes) {
      return s3Call(() =>
        putStreaming(this.client, { ...params, ContentLength: length }, { checksum: this.settings.checksums }),
      );
    }
    return s3Call(() => uploadInParts(this.client, { ...params, ContentLength: length }, this.settings));
  }

  async get(key: FileKey, options: { range?: ByteRange; versionId?: string } = {}): Promise<ObjectContent> {
    const range = options.range && `bytes=${options.range.start}-${options.range.end ?? ''}`;
    const out = await s3Call(() =>
      this.client.send(new GetObjectCommand({ ...this.target(key), Range: range, VersionId: options.versionId })),
    );
    if (!(out.Body instanceof Readable)) throw new Error('S3 answered GetObject without a readable body');
    const contentRange = range ? parseContentRange(out.ContentRange) : undefined;
    const contentLength = out.ContentLength ?? 0;
    return { ...infoOf(out, contentRange?.size ?? contentLength), body: out.Body, contentLength, contentRange };
  }

  async head(key: FileKey, options: { versionId?: string } = {}): Promise<ObjectInfo> {
    return infoOf(
      await s3Call(() =>
        this.client.send(new HeadObjectCommand({ ...this.target(key), VersionId: options.versionId })),
      ),
    );
  }

  async delete(key: FileKey): Promise<void> {
    await s3Call(() => this.client.send(new DeleteObjectCommand(this.target(key))));
  }

  deleteMany(keys: FileKey[]): Promise<void> {
    return deleteAll(this, keys, this.settings.deleteConcurrency ?? 8);
  }

  presignGet(
    key: FileKey,
    options: { expiresInSeconds: number; versionId?: string; contentDisposition?: string },
  ): Promise<PresignedRequest> {
    const command = new GetObjectCommand({
      ...this.target(key),
      VersionId: options.versionId,
      ResponseContentDisposition: options.contentDisposition,
    });
    return this.presign('GET', (o) => getSignedUrl(this.client, command, o), options.expiresInSeconds, {});
  }

  presignPut(
    key: FileKey,
    options: { contentType: string; contentLength: number; expiresInSeconds: number },
  ): Promise<PresignedRequest> {
    const { contentType, contentLength } = options;
    const command = new PutObjectCommand({
      ...this.target(key),
      ContentType: contentType,
      ContentLength: contentLength,
      ...sseParams(this.settings.sse),
    });
    return this.presign('PUT', (o) => getSignedUrl(this.client, command, o), options.expiresInSeconds, {
      'content-type': contentType,
      ...sseHeaders(this.settings.sse),
    });
  }

  async createMultipart(key: FileKey, options: { contentType: string }): Promise<string> {
    const command = new CreateMultipartUploadCommand({
      ...this.target(key),
      ContentType: options.contentType,
      ...sseParams(this.settings.sse),
    });
    const out = await s3Call(() => this.client.send(command));
    if (!out.UploadId) throw new Error('S3 answered CreateMultipartUpload without an upload id');
    return out.UploadId;
  }

  /** Content-Length is signed (S3 then refuses another size); the content type is not, so a browser may send any. */
  presignPart(
    key: FileKey,
    uploadId: string,
    partNumber: number,
    options: { expiresInSeconds: number; contentLength: number },
  ): Promise<PresignedRequest> {
    assertPartNumber(partNumber);
    const command = new UploadPartCommand({
      ...this.target(key),
      UploadId: uploadId,
      PartNumber: partNumber,
      ContentLength: options.contentLength,
    });
    return this.presign('PUT', (o) => getSignedUrl(this.client, command, o), options.expiresInSeconds, {});
  }

  listParts(key: FileKey, uploadId: string) {
    return s3Call(() => listAllParts(this.client, { ...this.target(key), UploadId: uploadId }));
  }

  async completeMultipart(key: FileKey, uploadId: string, parts: PartRef[]): Promise<StoredObject> {
    if (parts.length === 0) throw uploadIncomplete('A multipart upload needs at least one part.');
    const Parts = parts.map((p) => ({ PartNumber: p.partNumber, ETag: `"${unquote(p.etag)}"` }));
    const command = new CompleteMultipartUploadCommand({
      ...this.target(key),
      UploadId: uploadId,
      MultipartUpload: { Parts },
    });
    const out = await s3Call(() => this.client.send(command));
    return { etag: unquote(out.ETag ?? ''), versionId: out.VersionId };
  }

  async abortMultipart(key: FileKey, uploadId: string): Promise<void> {
    try {
      await this.client.send(new AbortMultipartUploadCommand({ ...this.target(key), UploadId: uploadId }));
    } catch (error) {
      // Already gone (aborted or completed) is the outcome the caller wanted.
      if ((error as { name?: string }).name !== 'NoSuchUpload') throw mapS3Error(error);
    }
  }

  listVersions(key: FileKey) {
    return s3Call(() => listAllVersions(this.client, this.settings.bucket, key.value));
  }

  async restoreVersion(key: FileKey, versionId: string): Promise<StoredObject> {
    const source = copySource(this.settings.bucket, key, versionId);
    const command = new CopyObjectCommand({
      ...this.target(key),
      CopySource: source,
      MetadataDirective: 'COPY',
      ...sseParams(this.settings.sse),
    });
    const out = await s3Call(() => this.client.send(command));
    return { etag: unquote(out.CopyObjectResult?.ETag ?? ''), versionId: out.VersionId };
  }

  async setLegalHold(key: FileKey, enabled: boolean, versionId?: string): Promise<void> {
    const command = new PutObjectLegalHoldCommand({
      ...this.target(key),
      VersionId: versionId,
      LegalHold: { Status: enabled ? 'ON' : 'OFF' },
    });
    await this.withObjectLock(() => this.client.send(command));
  }

  async setRetention(key: FileKey, retention: Retention, versionId?: string): Promise<void> {
    const Retention = { Mode: retention.mode, RetainUntilDate: retention.retainUntil };
    await this.withObjectLock(() =>
      this.client.send(new PutObjectRetentionCommand({ ...this.target(key), VersionId: versionId, Retention })),
    );
  }

  private target(key: FileKey) {
    return { Bucket: this.settings.bucket, Key: key.value };
  }

  private async presign(
    method: 'GET' | 'PUT',
    sign: (options: SignOptions) => Promise<string>,
    requestedSeconds: number,
    headers: Record<string, string>,
  ): Promise<PresignedRequest> {
    const signingDate = this.clock.now();
    const expiresIn = clampLifetime(requestedSeconds, this.settings.presignMaxSeconds);
    // content-length is signed whenever it is set; content-type only when asked for, and only where the
    // caller chose it (a part's type is the SDK's default, which a browser would not send).
    const signableHeaders = headers['content-type'] ? new Set(['content-type']) : undefined;
    const url = await sign({ expiresIn, signingDate, signableHeaders });
    return { url, method, headers, expiresAt: new Date(signingDate.getTime() + expiresIn * 1000) };
  }

  /**
   * S3 refuses lock calls on a bucket created without object lock; that is this store lacking the feature.
   * S3 says "Object Lock Configuration", moto "ObjectLockConfiguration".
   */
  private async withObjectLock(call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      const { name, message } = error as { name?: string; message?: string };
      if (name === 'InvalidRequest' && /object ?lock/i.test(message ?? ''))
        throw fileFeatureUnsupported('object lock on this bucket');
      throw mapS3Error(error);
    }
  }
}
