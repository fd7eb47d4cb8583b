import type { Clock } from '../../domain/ports/clock.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore } from '../../domain/ports/file-store.js';
import { syncFileWithObject, type ObjectEvent, type ObjectOutcome } from './sync-file-with-object.js';

/**
 * The bucket says an object was removed (a delete outside the API, a delete marker, a lifecycle
 * expiration): a ready file without a current object is marked gone. Its row stays, so its versions
 * can still be listed and restored through the API. When the key has an object again (a later
 * upload, or the current version was deleted and an older one is current now), the row is brought
 * to that object instead.
 */
export class RecordObjectRemoved {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
    private readonly clock: Clock,
  ) {}

  execute(event: ObjectEvent): Promise<ObjectOutcome> {
    return syncFileWithObject(this.catalog, this.store, this.clock, event, 'mark-gone');
  }
}
