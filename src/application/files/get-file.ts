import type { StoredFile } from '../../domain/file/stored-file.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { Actor } from '../../domain/user/user.js';
import { loadVisibleFile, requireNotGone } from './access.js';

/** A gone file answers FILE.GONE rather than its row: its metadata describes bytes no longer there. */
export class GetFile {
  constructor(private readonly catalog: FileCatalog) {}

  async execute(input: { actor: Actor; id: string }): Promise<StoredFile> {
    const file = await loadVisibleFile(this.catalog, input.actor, input.id);
    requireNotGone(file);
    return file;
  }
}
