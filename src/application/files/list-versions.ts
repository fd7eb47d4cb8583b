import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore, ObjectVersion } from '../../domain/ports/file-store.js';
import type { Actor } from '../../domain/user/user.js';
import { loadVisibleFile } from './access.js';

/** Newest first; a store without versioning lists one version, `"null"`. */
export class ListVersions {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
  ) {}

  async execute(input: { actor: Actor; id: string }): Promise<ObjectVersion[]> {
    const file = await loadVisibleFile(this.catalog, input.actor, input.id);
    return this.store.listVersions(file.key());
  }
}
