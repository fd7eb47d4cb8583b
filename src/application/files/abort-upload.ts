import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore } from '../../domain/ports/file-store.js';
import type { Actor } from '../../domain/user/user.js';
import { loadVisibleFile, requirePending } from './access.js';

/** Gives up a direct upload: its parts (or a single PUT that arrived) and its pending file are gone. */
export class AbortUpload {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
  ) {}

  async execute(input: { actor: Actor; id: string }): Promise<void> {
    const file = await loadVisibleFile(this.catalog, input.actor, input.id);
    requirePending(file);
    if (file.uploadId) await this.store.abortMultipart(file.key(), file.uploadId);
    await this.store.delete(file.key());
    await this.catalog.delete(file.id);
  }
}
