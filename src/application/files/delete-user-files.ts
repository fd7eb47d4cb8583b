import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore } from '../../domain/ports/file-store.js';

/**
 * For DeleteUser: aborts the user's open multipart uploads, deletes every object (the store
 * bounds the deletes in flight, FILE_DELETE_CONCURRENCY), and only then the rows. If any delete
 * fails, every row stays, the user's deletion fails, and running it again finishes the job.
 */
export class DeleteUserFiles {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
  ) {}

  async execute(userId: string): Promise<void> {
    const files = await this.catalog.listByOwner(userId);
    for (const file of files) if (file.uploadId) await this.store.abortMultipart(file.key(), file.uploadId);
    await this.store.deleteMany(files.map((f) => f.key()));
    for (const file of files) await this.catalog.delete(file.id);
  }
}
