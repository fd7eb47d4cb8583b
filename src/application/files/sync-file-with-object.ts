import { DomainError } from '../../domain/errors.js';
import { FileKey } from '../../domain/file/file-key.js';
import type { StoredFile } from '../../domain/file/stored-file.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore, ObjectInfo } from '../../domain/ports/file-store.js';

/** What the bucket told the catalog about one object, as the queue worker counts it. */
export type ObjectOutcome =
  /** The key is not a file's (another prefix), or no row leads to it: nothing to keep true. */
  | 'unknown'
  /** Now ready: a pending direct upload whose object arrived with the declared size, or a gone file's is back. */
  | 'ready'
  /** A ready file whose current object is another version (restored or overwritten outside the API). */
  | 'updated'
  /** A ready file whose object was deleted or expired outside the API: marked gone, its versions still listed. */
  | 'gone'
  /** The catalog already says what the bucket holds (a duplicate, or an event older than the state). */
  | 'unchanged'
  /** A pending file whose object has another size than declared: left to CompleteUpload or the sweep. */
  | 'mismatch';

/** A notification names the object by its key; the version and sequencer are not needed (see below). */
export interface ObjectEvent {
  key: string;
}

/** Rows written with another's change in between are read again, this many times. */
const ATTEMPTS = 3;

/**
 * Brings a file's row in line with what the store holds *now*, whatever the event said. S3 delivers
 * at least once and in any order; reading the current state (HEAD) instead of applying the event
 * makes a duplicate a no-op and an old event harmless: a create handled after the delete that
 * followed it finds nothing, a delete handled before its create finds the object. Rows are written
 * with the version they were read at, so a change the API made meanwhile is read again, never lost.
 */
export async function syncFileWithObject(
  catalog: FileCatalog,
  store: FileStore,
  clock: Clock,
  event: ObjectEvent,
  whenAbsent: 'mark-gone' | 'keep',
): Promise<ObjectOutcome> {
  const key = fileKeyOf(event.key);
  if (!key) return 'unknown';
  for (let attempt = 1; ; attempt++) {
    try {
      const file = await catalog.findById(key.fileId);
      if (!file || file.ownerId !== key.ownerId) return 'unknown';
      return await reconcile(catalog, file, await currentObject(store, key), clock, whenAbsent);
    } catch (error) {
      if (attempt >= ATTEMPTS || !(error instanceof DomainError) || error.code !== 'PRECONDITION.FAILED') throw error;
    }
  }
}

function fileKeyOf(value: string): FileKey | undefined {
  try {
    return FileKey.parse(value);
  } catch {
    return undefined;
  }
}

async function currentObject(store: FileStore, key: FileKey): Promise<ObjectInfo | undefined> {
  try {
    return await store.head(key);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'FILE.NOT_FOUND') return undefined;
    throw error;
  }
}

async function reconcile(
  catalog: FileCatalog,
  file: StoredFile,
  object: ObjectInfo | undefined,
  clock: Clock,
  whenAbsent: 'mark-gone' | 'keep',
): Promise<ObjectOutcome> {
  const read = file.version;
  if (!object) {
    // A pending upload without its object is the sweep's (UPLOAD_ABANDON_AFTER_HOURS): the client may still send it.
    if (file.status !== 'ready' || whenAbsent === 'keep') return 'unchanged';
    // The row stays: the versions left behind (until the noncurrent-version rule purges them) can be restored.
    file.markGone(clock.now());
    await catalog.update(file, read);
    return 'gone';
  }
  if (file.status === 'gone') {
    // Back (a delete marker removed, a version restored from the console); the checksum fits the same version only.
    const checksum = object.versionId === file.versionId ? file.checksum : undefined;
    file.markReady({ size: object.size, checksum, versionId: object.versionId }, clock.now());
    await catalog.update(file, read);
    return 'ready';
  }
  if (file.status === 'pending') {
    // The rule CompleteUpload applies: only an object of exactly the declared size makes a file ready.
    if (object.size !== file.size) return 'mismatch';
    file.markReady({ size: object.size, versionId: object.versionId }, clock.now());
    await catalog.update(file, read);
    return 'ready';
  }
  if (object.versionId === file.versionId) return 'unchanged';
  // The server never saw these bytes, so the checksum it computed no longer describes them.
  file.markReady({ size: object.size, versionId: object.versionId }, clock.now());
  await catalog.update(file, read);
  return 'updated';
}
