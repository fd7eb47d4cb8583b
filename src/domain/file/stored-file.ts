import { invalid } from '../errors.js';
import { FileKey } from './file-key.js';

export const FILE_STATUSES = ['pending', 'ready', 'gone'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

export const FILE_NAME_MAX = 255;
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

// C0 and C1 controls (CR, LF, NUL ...) and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// RFC 9110 media type: token "/" token, then parameters (checked only for control characters).
const MEDIA_TYPE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+\/[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*;.*)?$/;

/** A client's name for a file: metadata for listings and downloads, never part of a key or path. */
export function fileName(raw: string): string {
  const name = raw.normalize('NFC').trim();
  if (name.length === 0 || name.length > FILE_NAME_MAX || CONTROL.test(name)) {
    throw invalid('The file name is not valid.', [
      { path: 'name', message: `1 to ${FILE_NAME_MAX} characters, no control characters` },
    ]);
  }
  return name;
}

export function mediaType(raw: string | undefined): string {
  const value = (raw ?? '').trim();
  if (value === '') return DEFAULT_CONTENT_TYPE;
  if (value.length > 255 || CONTROL.test(value) || !MEDIA_TYPE.test(value)) {
    throw invalid('The content type is not valid.', [
      { path: 'contentType', message: 'a media type such as image/png' },
    ]);
  }
  return value;
}

export interface ReadyBytes {
  size: number;
  checksum?: string;
  versionId?: string;
}

/**
 * A file's metadata row. Its bytes live in a FileStore under `key`, built from the two ids only.
 * `pending` until the bytes are known to be complete; `uploadId` names a multipart upload still open.
 * `gone` once its current object was removed or expired outside the API: the row stays, with the
 * last version it knew, so the versions left in the store can still be listed and restored.
 */
export class StoredFile {
  constructor(
    public id: string,
    public ownerId: string,
    public name: string,
    public contentType: string,
    /** Declared while pending (0 when unknown), measured once ready. */
    public size: number,
    public status: FileStatus,
    public createdAt: Date,
    public updatedAt: Date,
    /** Hex SHA-256 of the bytes, when the server saw them pass (uploads through the API). */
    public checksum?: string,
    public versionId?: string,
    public uploadId?: string,
    /** The stored version of this row: 1 when created, +1 on every write (the catalog sets it). */
    public version = 1,
  ) {}

  key(): FileKey {
    return FileKey.for(this.ownerId, this.id);
  }

  markReady(bytes: ReadyBytes, at: Date): void {
    this.status = 'ready';
    this.size = bytes.size;
    this.checksum = bytes.checksum;
    this.versionId = bytes.versionId;
    this.uploadId = undefined;
    this.updatedAt = at;
  }

  /** Size, checksum and version stay: they describe the last version the row knew, which may come back. */
  markGone(at: Date): void {
    this.status = 'gone';
    this.uploadId = undefined;
    this.updatedAt = at;
  }
}

export const copyFile = (f: StoredFile): StoredFile =>
  new StoredFile(
    f.id,
    f.ownerId,
    f.name,
    f.contentType,
    f.size,
    f.status,
    new Date(f.createdAt),
    new Date(f.updatedAt),
    f.checksum,
    f.versionId,
    f.uploadId,
    f.version,
  );
