import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore } from '../../domain/ports/file-store.js';
import { expectedVersion, type IfMatch } from '../../domain/precondition.js';
import type { Actor } from '../../domain/user/user.js';
import { loadVisibleFile } from './access.js';

/**
 * Bytes first, then the row: if the store fails, the row stays and the delete can be retried. With
 * `ifMatch` (If-Match) the version it names is claimed first by a conditional write of the row, so
 * a stale or raced one is PRECONDITION.FAILED before any byte goes.
 */
export class DeleteFile {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
  ) {}

  async execute(input: { actor: Actor; id: string; ifMatch?: IfMatch }): Promise<void> {
    const file = await loadVisibleFile(this.catalog, input.actor, input.id);
    const expected = expectedVersion(input.ifMatch, file.version);
    if (expected !== undefined) await this.catalog.update(file, expected);
    if (file.uploadId) await this.store.abortMultipart(file.key(), file.uploadId);
    await this.store.delete(file.key());
    await this.catalog.delete(file.id);
  }
}
