import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore } from '../../domain/ports/file-store.js';
import type { Actor } from '../../domain/user/user.js';
import { requireAdmin } from '../users/access.js';
import { loadVisibleFile, requireReady } from './access.js';

/** Object lock: a legal hold on the file's current version (admins only). */
export class SetLegalHold {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
  ) {}

  async execute(input: { actor: Actor; id: string; enabled: boolean }): Promise<{ enabled: boolean }> {
    requireAdmin(input.actor);
    const file = await loadVisibleFile(this.catalog, input.actor, input.id);
    requireReady(file);
    await this.store.setLegalHold(file.key(), input.enabled, file.versionId);
    return { enabled: input.enabled };
  }
}
