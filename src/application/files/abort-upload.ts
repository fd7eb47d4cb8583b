import type { StoredFile } from '../../domain/file/stored-file.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore } from '../../domain/ports/file-store.js';
import type { Actor } from '../../domain/user/user.js';
import { loadVisibleFile, requirePending } from './access.js';

/**
 * Removes a pending file's upload: the multipart upload and its parts, any object a PUT left, then
 * the row. Bytes first: if the store fails, the row stays and the removal can be tried again.
 */
export async function discardUpload(catalog: FileCatalog, store: FileStore, file: StoredFile): Promise<void> {
  if (file.uploadId) await store.abortMultipart(file.key(), file.uploadId);
  await store.delete(file.key());
  await catalog.delete(file.id);
}

/**
 * Gives up a direct upload: its parts (or a single PUT that arrived) and its pending file are gone.
 * The local stores' links are refused from then on. An S3 pre-signed PUT cannot be revoked: one
 * sent after this writes an object no row leads to, until its link expires (PRESIGN_MAX_SECONDS).
 */
export class AbortUpload {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
  ) {}

  async execute(input: { actor: Actor; id: string }): Promise<void> {
    const file = await loadVisibleFile(this.catalog, input.actor, input.id);
    requirePending(file);
    await discardUpload(this.catalog, this.store, file);
  }
}
