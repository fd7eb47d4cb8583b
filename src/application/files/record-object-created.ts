import type { Clock } from '../../domain/ports/clock.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore } from '../../domain/ports/file-store.js';
import { syncFileWithObject, type ObjectEvent, type ObjectOutcome } from './sync-file-with-object.js';

/**
 * The bucket says an object was created (a PUT, a completed multipart upload, a copy): a direct
 * upload whose client never called complete becomes ready, a version restored outside the API is
 * recorded, and a gone file whose object is back is ready again. If the object is gone again by
 * now, its removal is what counts (and its own event says so).
 */
export class RecordObjectCreated {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
    private readonly clock: Clock,
  ) {}

  execute(event: ObjectEvent): Promise<ObjectOutcome> {
    return syncFileWithObject(this.catalog, this.store, this.clock, event, 'keep');
  }
}
