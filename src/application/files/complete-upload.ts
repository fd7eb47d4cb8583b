import { DomainError } from '../../domain/errors.js';
import { uploadIncomplete } from '../../domain/file/file-errors.js';
import type { StoredFile } from '../../domain/file/stored-file.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore, ObjectInfo, PartRef } from '../../domain/ports/file-store.js';
import type { Actor } from '../../domain/user/user.js';
import { loadVisibleFile, requirePending } from './access.js';

export interface CompleteUploadInput {
  actor: Actor;
  id: string;
  /** The parts to join, as the client recorded them; the ones the store lists when absent. */
  parts?: PartRef[];
}

/**
 * Finishes a direct upload: joins the parts of a multipart upload, then checks that the object
 * holds exactly the declared size before the file becomes ready. An object of the wrong size is
 * deleted (400); a file already ready is answered as it is, so a retried call is harmless.
 * The local stores refuse the upload's links from then on. An S3 pre-signed PUT cannot be revoked:
 * until it expires it can replace the object with another of the same signed type and length.
 */
export class CompleteUpload {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
    private readonly clock: Clock,
  ) {}

  async execute(input: CompleteUploadInput): Promise<StoredFile> {
    const file = await loadVisibleFile(this.catalog, input.actor, input.id);
    if (file.status === 'ready') return file;
    // A gone file's upload finished long ago: nothing to complete, and no object to check or delete.
    requirePending(file);
    let versionId: string | undefined;
    if (file.uploadId) {
      const parts = input.parts ?? (await this.arrivedParts(file, file.uploadId));
      ({ versionId } = await this.store.completeMultipart(file.key(), file.uploadId, parts));
    }
    const info = await this.stored(file, versionId);
    if (info.size !== file.size) {
      await this.store.delete(file.key());
      // A completed multipart upload is spent; the file stays pending, to be uploaded again or deleted.
      file.uploadId = undefined;
      file.updatedAt = this.clock.now();
      await this.catalog.update(file);
      throw uploadIncomplete(
        `The upload holds ${info.size} bytes, not the ${file.size} declared; it has been discarded.`,
      );
    }
    file.markReady({ size: info.size, versionId: versionId ?? info.versionId }, this.clock.now());
    await this.catalog.update(file);
    return file;
  }

  /** Every part received, provided together they make the declared size: completing early would spend the upload. */
  private async arrivedParts(file: StoredFile, uploadId: string): Promise<PartRef[]> {
    const parts = await this.store.listParts(file.key(), uploadId);
    const received = parts.reduce((sum, p) => sum + p.size, 0);
    if (parts.length === 0 || received !== file.size) {
      throw uploadIncomplete(
        `${parts.length} parts with ${received} of ${file.size} bytes have arrived; send the missing parts first.`,
      );
    }
    return parts.map(({ partNumber, etag }) => ({ partNumber, etag }));
  }

  private async stored(file: StoredFile, versionId?: string): Promise<ObjectInfo> {
    try {
      return await this.store.head(file.key(), { versionId });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'FILE.NOT_FOUND')
        throw uploadIncomplete('Nothing has been uploaded for this file yet.');
      throw error;
    }
  }
}
