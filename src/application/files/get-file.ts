import type { StoredFile } from '../../domain/file/stored-file.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { Actor } from '../../domain/user/user.js';
import { loadVisibleFile } from './access.js';

export class GetFile {
  constructor(private readonly catalog: FileCatalog) {}

  execute(input: { actor: Actor; id: string }): Promise<StoredFile> {
    return loadVisibleFile(this.catalog, input.actor, input.id);
  }
}
