import { invalid } from '../../domain/errors.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore, Retention } from '../../domain/ports/file-store.js';
import type { Actor } from '../../domain/user/user.js';
import { requireAdmin } from '../users/access.js';
import { loadVisibleFile, requireReady } from './access.js';

/** Object lock: retention on the file's current version until a date (admins only). */
export class SetRetention {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
    private readonly clock: Clock,
  ) {}

  async execute(input: { actor: Actor; id: string; retention: Retention }): Promise<Retention> {
    requireAdmin(input.actor);
    const file = await loadVisibleFile(this.catalog, input.actor, input.id);
    requireReady(file);
    if (input.retention.retainUntil.getTime() <= this.clock.now().getTime()) {
      throw invalid('Retention must last until a future date.', [
        { path: 'retainUntil', message: 'must be in the future' },
      ]);
    }
    await this.store.setRetention(file.key(), input.retention, file.versionId);
    return input.retention;
  }
}
