import type { Readable } from 'node:stream';
import type { FileKey } from '../file/file-key.js';

/** Inclusive byte offsets, as in an HTTP `Range: bytes=start-end`; no `end` means to the last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface PutInput {
  body: Readable;
  contentType: string;
  /** Known up front (Content-Length) or not (chunked); above the multipart threshold or unknown, S3 gets parallel parts. */
  contentLength?: number;
}

/** ETags are unquoted everywhere in this port; quoted ones are accepted as input. */
export interface StoredObject {
  etag: string;
  versionId?: string;
}

export type RetentionMode = 'GOVERNANCE' | 'COMPLIANCE';

export interface Retention {
  mode: RetentionMode;
  retainUntil: Date;
}

export interface ObjectInfo extends StoredObject {
  size: number;
  contentType: string;
  lastModified: Date;
  legalHold?: boolean;
  retention?: Retention;
}

export interface ObjectContent extends ObjectInfo {
  body: Readable;
  /** Bytes in `body`: `size` for a whole read, fewer for a range. */
  contentLength: number;
  /** Present when a range was asked for: what `body` holds out of `size`. */
  contentRange?: { start: number; end: number; size: number };
}

/** A request the client makes itself: send `headers` as given; a PUT body must be exactly the signed length. */
export interface PresignedRequest {
  url: string;
  method: 'GET' | 'PUT';
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface PartRef {
  partNumber: number;
  etag: string;
}

export interface UploadedPart extends PartRef {
  size: number;
}

export interface ObjectVersion {
  versionId: string;
  size: number;
  etag: string;
  lastModified: Date;
  isLatest: boolean;
}

/**
 * Where file bytes live. Every method throws DomainError FILE.NOT_FOUND for a missing object,
 * version or upload, and FILE.STORE_UNAVAILABLE when the backend is down or throttling after
 * its own retries. Lifetimes are clamped to the store's configured maximum; `expiresAt` says
 * what was granted. Stores without versioning report one version, `"null"` (as S3 does for an
 * unversioned bucket); stores without object lock throw FILE.UNSUPPORTED.
 */
export interface FileStore {
  /** Nothing is visible under `key` until the body has ended; a failing body leaves nothing (no object, no parts). */
  put(key: FileKey, input: PutInput): Promise<StoredObject>;
  /** FILE.RANGE_NOT_SATISFIABLE when `range` starts past the end. */
  get(key: FileKey, options?: { range?: ByteRange; versionId?: string }): Promise<ObjectContent>;
  head(key: FileKey, options?: { versionId?: string }): Promise<ObjectInfo>;
  /**
   * Removes the current object; deleting a missing one succeeds. In a versioned S3 bucket this
   * leaves a delete marker and earlier versions expire by lifecycle rule (see docs/files.md).
   */
  delete(key: FileKey): Promise<void>;
  /** `delete` for many keys with a bounded number of calls in flight; tries every key, then throws the first failure. */
  deleteMany(keys: FileKey[]): Promise<void>;
  presignGet(
    key: FileKey,
    options: { expiresInSeconds: number; versionId?: string; contentDisposition?: string },
  ): Promise<PresignedRequest>;
  /** Bound to the content type and exact length: the store refuses a body that differs. */
  presignPut(
    key: FileKey,
    options: { contentType: string; contentLength: number; expiresInSeconds: number },
  ): Promise<PresignedRequest>;
  /** Returns the upload id. */
  createMultipart(key: FileKey, options: { contentType: string }): Promise<string>;
  /** Bound to the part's planned length (`contentLength`): the store refuses a body of another size. */
  presignPart(
    key: FileKey,
    uploadId: string,
    partNumber: number,
    options: { expiresInSeconds: number; contentLength: number },
  ): Promise<PresignedRequest>;
  /** What has arrived so far, by part number, to resume an upload. */
  listParts(key: FileKey, uploadId: string): Promise<UploadedPart[]>;
  /** FILE.UPLOAD_INCOMPLETE when parts are missing, out of order, too small or have the wrong ETag. */
  completeMultipart(key: FileKey, uploadId: string, parts: PartRef[]): Promise<StoredObject>;
  /** Removes the upload and every part; aborting an unknown or finished upload succeeds. */
  abortMultipart(key: FileKey, uploadId: string): Promise<void>;
  /** Newest first. */
  listVersions(key: FileKey): Promise<ObjectVersion[]>;
  /** Copies that version on top, so it becomes the latest (a new version id); history is kept. */
  restoreVersion(key: FileKey, versionId: string): Promise<StoredObject>;
  setLegalHold(key: FileKey, enabled: boolean, versionId?: string): Promise<void>;
  setRetention(key: FileKey, retention: Retention, versionId?: string): Promise<void>;
}

export type FileLinkRequest =
  | { method: 'GET' | 'HEAD'; range?: ByteRange }
  | { method: 'PUT'; body: Readable; contentType?: string; contentLength?: number };

export type FileLinkAnswer =
  { kind: 'content'; content: ObjectContent; contentDisposition?: string } | { kind: 'stored'; etag: string };

/**
 * Answers the links that stores without an HTTP endpoint of their own (local disk, memory) sign,
 * served by the app at `/v1/files/_local/{token}`. S3's links go to S3 and never come here.
 * Throws FILE.LINK_INVALID for a tampered or expired token, a method it was not signed for, a PUT
 * whose content type or length differs from the signed one, and a PUT for an upload that is over
 * (aborted, completed, its file deleted or no longer pending); such a PUT writes nothing. A body
 * without a length (chunked) is cut off past the signed length (FILE.TOO_LARGE). For HEAD, answer
 * the headers and destroy `content.body`. A stored part or object answers with its ETag (quote it
 * in the header).
 */
export interface FileLinks {
  serve(token: string, request: FileLinkRequest): Promise<FileLinkAnswer>;
}

/** A multipart upload a store holds by itself, whether or not a file still names it. */
export interface OpenUpload {
  uploadId: string;
  /** Absent when the store no longer knows it (an upload removed while a part was arriving). */
  key?: FileKey;
  /** When a part last arrived, or the upload started. */
  lastActivity: Date;
}

/**
 * The multipart uploads a store keeps until told otherwise, for SweepAbandonedUploads to remove
 * those no pending file leads to (the local disk's part directories). S3 needs none: its bucket's
 * lifecycle rule aborts incomplete uploads (bucket:setup).
 */
export interface UploadLeftovers {
  /** Uploads idle since before `before`, oldest first, at most `limit`. */
  idleSince(before: Date, limit: number): Promise<OpenUpload[]>;
  /** Removes the upload and its parts; discarding one already gone succeeds. */
  discard(upload: OpenUpload): Promise<void>;
}
