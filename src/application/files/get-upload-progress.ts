import { noPartsInSinglePut } from '../../domain/file/file-errors.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore, UploadedPart } from '../../domain/ports/file-store.js';
import type { Actor } from '../../domain/user/user.js';
import { loadVisibleFile, requirePending } from './access.js';

/** The parts of a multipart upload that have arrived, so a client can send only the missing ones. */
export class GetUploadProgress {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
  ) {}

  async execute(input: { actor: Actor; id: string }): Promise<UploadedPart[]> {
    const file = await loadVisibleFile(this.catalog, input.actor, input.id);
    requirePending(file);
    if (!file.uploadId) throw noPartsInSinglePut();
    return this.store.listParts(file.key(), file.uploadId);
  }
}
