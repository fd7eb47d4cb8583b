import { fileGone, fileNotFound, fileNotReady, noUploadInProgress } from '../../domain/file/file-errors.js';
import type { StoredFile } from '../../domain/file/stored-file.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import { canAccess, type Actor } from '../../domain/user/user.js';

/** Loads a file the actor may see (their own, or any for an admin); anything else looks absent. */
export async function loadVisibleFile(catalog: FileCatalog, actor: Actor, id: string): Promise<StoredFile> {
  const file = await catalog.findById(id);
  if (!file || !canAccess(actor, file.ownerId)) throw fileNotFound();
  return file;
}

/** Bytes can be read only once an upload has finished, and while its object is still there. */
export function requireReady(file: StoredFile): void {
  requireNotGone(file);
  if (file.status !== 'ready') throw fileNotReady();
}

/** A gone file answers FILE.GONE (410) to its owner: others never got this far (loadVisibleFile). */
export function requireNotGone(file: StoredFile): void {
  if (file.status === 'gone') throw fileGone();
}

/** What restoring a version needs: an upload that finished, whether its object is there now or gone. */
export function requireUploaded(file: StoredFile): void {
  if (file.status === 'pending') throw fileNotReady();
}

/** The upload sub-resource exists only while the file is pending. */
export function requirePending(file: StoredFile): void {
  if (file.status !== 'pending') throw noUploadInProgress();
}
