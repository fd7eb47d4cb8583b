import type { Readable } from 'node:stream';
import { fileTooLarge } from '../../domain/file/file-errors.js';
import { fileName, mediaType, StoredFile } from '../../domain/file/stored-file.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore } from '../../domain/ports/file-store.js';
import type { IdGenerator } from '../../domain/ports/id-generator.js';
import type { Actor } from '../../domain/user/user.js';
import type { FileLimits } from './file-limits.js';
import { meterBody } from './metered-body.js';

export interface UploadFileInput {
  actor: Actor;
  name: string;
  contentType?: string;
  /** The declared length (Content-Length); absent for a chunked body. */
  contentLength?: number;
  body: Readable;
}

/**
 * Streams a body to the store, counting and hashing it on the way. A declared length over the
 * limit is refused before a byte is read; a body that grows past it is cut off mid-stream. Either
 * way, and on any other failure, nothing is kept: no object, no parts, no row.
 */
export class UploadFile {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly limits: Pick<FileLimits, 'maxUploadBytes'>,
  ) {}

  async execute(input: UploadFileInput): Promise<StoredFile> {
    const name = fileName(input.name);
    const contentType = mediaType(input.contentType);
    const { maxUploadBytes } = this.limits;
    const { contentLength } = input;
    if (contentLength !== undefined && contentLength > maxUploadBytes) throw fileTooLarge(maxUploadBytes);
    const now = this.clock.now();
    const file = new StoredFile(
      this.ids.next(),
      input.actor.id,
      name,
      contentType,
      contentLength ?? 0,
      'pending',
      now,
      now,
    );
    // Metered before anything is awaited: a client that hangs up while the row is written is seen.
    const meter = meterBody(input.body, { maxBytes: maxUploadBytes, exactBytes: contentLength });
    // The row comes first, so bytes in the store always have a row that leads to them.
    await this.catalog.create(file);
    try {
      // Gone already (hung up, too large): no store is handed a body that will never end.
      if (meter.errored) throw meter.errored;
      const stored = await this.store.put(file.key(), { body: meter, contentType, contentLength });
      file.markReady({ size: meter.bytes, checksum: meter.sha256(), versionId: stored.versionId }, this.clock.now());
      await this.catalog.update(file);
      return file;
    } catch (error) {
      await this.discard(file);
      // The meter's own failure (too large, cut short) is the cause, whatever the store made of it.
      throw meter.errored ?? error;
    }
  }

  /**
   * The store already dropped an unfinished body; deleting the key as well also covers a backend
   * that kept part of it, and is harmless otherwise: the key is new, nothing else lives there.
   */
  private async discard(file: StoredFile): Promise<void> {
    await this.store.delete(file.key()).catch(() => undefined);
    await this.catalog.delete(file.id).catch(() => undefined);
  }
}
