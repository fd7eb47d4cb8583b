import { v7 } from 'uuid';
import { FileKey } from '../../../../src/domain/file/file-key.js';
import type { FileStore } from '../../../../src/domain/ports/file-store.js';
import { bytesStream } from '../../../support/file-bytes.js';
import type { ShiftableClock } from '../../../support/shiftable-clock.js';

/**
 * What the backend behind the adapter enforces. Where a server is more lenient than S3, the case for
 * that rule asserts what the server does instead and names `server` in its title, so the gap shows
 * on every run; the rule itself is then checked elsewhere (see docs/files.md).
 */
export interface StoreAbilities {
  /** Named in the title of every case where this backend does not enforce a rule S3 does. */
  server: string;
  /** 'full': many versions and restore; 'single': one "null" version. */
  versions: 'full' | 'single';
  objectLock: 'supported' | 'unsupported';
  /** ListParts and AbortMultipartUpload. */
  multipartLifecycle: boolean;
  /** Refuses a completion naming a wrong ETag, and builds S3's `md5-N` multipart ETag. */
  checksParts: boolean;
  /** Refuses a completion listing the parts out of order (S3's InvalidPartOrder). */
  checksPartOrder: boolean;
  /** An upload id belongs to its key: a request on another key's path cannot abort it (S3's NoSuchUpload). */
  bindsUploadsToKeys: boolean;
  /** Refuses a pre-signed PUT sent with a content type or length other than the signed one. */
  enforcesSignedHeaders: boolean;
  /** Refuses a pre-signed URL past its X-Amz-Expires. */
  refusesExpiredUrls: boolean;
  /** Keeps nothing of a request whose body never finished (S3 does). */
  discardsUnfinishedRequests: boolean;
}

export interface FileStoreFixture {
  store: FileStore;
  /** The clock the store signs with and, for app-served links, verifies with. */
  clock: ShiftableClock;
  presignMaxSeconds: number;
  cleanup(): Promise<void>;
}

export const MIB = 1024 * 1024;

/** Marks a case that does not apply to this backend as pending, saying why on the test output. */
export function notHere(ctx: Mocha.Context, reason: string): void {
  console.log(`      (not applicable: ${reason})`);
  ctx.skip();
}

export const aKey = () => FileKey.for(v7(), v7());

/** `bytes` put whole, with their length, in 64 KiB chunks. */
export const putBytes = (store: FileStore, key: FileKey, bytes: Buffer, contentType = 'application/octet-stream') =>
  store.put(key, { body: bytesStream(bytes), contentType, contentLength: bytes.length });
