import type { StoredFile } from '../../domain/file/stored-file.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore } from '../../domain/ports/file-store.js';
import type { Actor } from '../../domain/user/user.js';
import { loadVisibleFile, requireUploaded } from './access.js';

/**
 * Copies an earlier version on top, so it becomes the latest; the history is kept. A gone file
 * (its object removed outside the API) is ready again with the version restored.
 */
export class RestoreVersion {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
    private readonly clock: Clock,
  ) {}

  async execute(input: { actor: Actor; id: string; versionId: string }): Promise<StoredFile> {
    const file = await loadVisibleFile(this.catalog, input.actor, input.id);
    requireUploaded(file);
    const current = input.versionId === (file.versionId ?? 'null');
    const restored = await this.store.restoreVersion(file.key(), input.versionId);
    const info = await this.store.head(file.key(), { versionId: restored.versionId });
    // The checksum was taken of the bytes the server saw; an older version's bytes it did not see.
    const checksum = current ? file.checksum : undefined;
    file.markReady({ size: info.size, checksum, versionId: restored.versionId ?? info.versionId }, this.clock.now());
    await this.catalog.update(file);
    return file;
  }
}
