import type { StoredFile } from '../../domain/file/stored-file.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore, OpenUpload, UploadLeftovers } from '../../domain/ports/file-store.js';
import { discardUpload } from './abort-upload.js';

export interface SweepSettings {
  /** A pending file created longer ago than this is abandoned (UPLOAD_ABANDON_AFTER_HOURS). */
  abandonAfterMs: number;
  /** Files, or store uploads, asked for at a time. */
  batchSize: number;
}

export interface SweepReport {
  /** Pending files whose upload, object and row were removed. */
  files: number;
  /** Store uploads that no pending file led to, removed. */
  leftovers: number;
  /** What could not be removed this time (the next sweep tries again), for the caller to log. */
  failures: unknown[];
}

/**
 * Removes direct uploads started and then left: every file still pending after the configured age
 * goes as AbortUpload would take it (multipart upload, parts, any object, row), then every upload
 * the store still holds, idle as long, that no pending file leads to (the local disk's part
 * directories). One failure does not stop the rest. A file completed in the instant between its
 * last check and its removal is lost; the age, a day by default, makes that a client far too late.
 */
export class SweepAbandonedUploads {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
    private readonly leftovers: UploadLeftovers,
    private readonly clock: Clock,
    private readonly settings: SweepSettings,
  ) {}

  async execute(): Promise<SweepReport> {
    const before = new Date(this.clock.now().getTime() - this.settings.abandonAfterMs);
    const { batchSize } = this.settings;
    const failures: unknown[] = [];
    const files = await this.inBatches(
      () => this.catalog.listPendingCreatedBefore(before, batchSize),
      (file) => file.id,
      (file) => this.discardFile(file.id, before),
      failures,
    );
    const leftovers = await this.inBatches(
      () => this.leftovers.idleSince(before, batchSize),
      (upload) => upload.uploadId,
      (upload) => this.discardLeftover(upload),
      failures,
    );
    return { files, leftovers, failures };
  }

  /** Read again just before: the file may have been completed or aborted since it was listed. */
  private async discardFile(id: string, before: Date): Promise<boolean> {
    const file = await this.catalog.findById(id);
    if (!file || file.status !== 'pending' || file.createdAt >= before) return false;
    await discardUpload(this.catalog, this.store, file);
    return true;
  }

  private async discardLeftover(upload: OpenUpload): Promise<boolean> {
    const file: StoredFile | null = upload.key ? await this.catalog.findById(upload.key.fileId) : null;
    if (file?.status === 'pending' && file.uploadId === upload.uploadId) return false;
    await this.leftovers.discard(upload);
    return true;
  }

  /**
   * Batch after batch until one comes back short or brings nothing new: what was kept or failed
   * comes back in the next batch, and is not tried twice in one sweep. Answers how many went.
   */
  private async inBatches<T>(
    next: () => Promise<T[]>,
    idOf: (item: T) => string,
    discard: (item: T) => Promise<boolean>,
    failures: unknown[],
  ): Promise<number> {
    const seen = new Set<string>();
    let removed = 0;
    for (;;) {
      const batch = await next();
      const fresh = batch.filter((item) => !seen.has(idOf(item)));
      for (const item of fresh) {
        seen.add(idOf(item));
        try {
          if (await discard(item)) removed += 1;
        } catch (error) {
          failures.push(error);
        }
      }
      if (batch.length < this.settings.batchSize || fresh.length === 0) return removed;
    }
  }
}
