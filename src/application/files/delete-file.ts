import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore } from '../../domain/ports/file-store.js';
import type { Actor } from '../../domain/user/user.js';
import { loadVisibleFile } from './access.js';

/** Bytes first, then the row: if the store fails, the row stays and the delete can be retried. */
export class DeleteFile {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
  ) {}

  async execute(input: { actor: Actor; id: string }): Promise<void> {
    const file = await loadVisibleFile(this.catalog, input.actor, input.id);
    if (file.uploadId) await this.store.abortMultipart(file.key(), file.uploadId);
    await this.store.delete(file.key());
    await this.catalog.delete(file.id);
  }
}
