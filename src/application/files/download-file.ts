import { rangeNotSatisfiable } from '../../domain/file/file-errors.js';
import type { StoredFile } from '../../domain/file/stored-file.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { ByteRange, FileStore, ObjectContent } from '../../domain/ports/file-store.js';
import type { Actor } from '../../domain/user/user.js';
import { loadVisibleFile, requireReady } from './access.js';

/** `bytes=start-end`, `bytes=start-` or the last `suffix` bytes (`bytes=-suffix`). */
export type RequestedRange = ByteRange | { suffix: number };

export interface DownloadFileInput {
  actor: Actor;
  id: string;
  range?: RequestedRange;
  versionId?: string;
}

/** Opens a file's bytes (all, or a range) as a stream; the caller must consume or destroy it. */
export class DownloadFile {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
  ) {}

  async execute(input: DownloadFileInput): Promise<{ file: StoredFile; content: ObjectContent }> {
    const file = await loadVisibleFile(this.catalog, input.actor, input.id);
    requireReady(file);
    const { versionId } = input;
    const range = input.range && (await this.resolve(file, input.range, versionId));
    return { file, content: await this.store.get(file.key(), { range, versionId }) };
  }

  /** A suffix needs the size of the version asked for, which only the store knows for sure. */
  private async resolve(file: StoredFile, range: RequestedRange, versionId?: string): Promise<ByteRange> {
    if (!('suffix' in range)) return range;
    if (range.suffix === 0) throw rangeNotSatisfiable();
    const { size } = await this.store.head(file.key(), { versionId });
    if (size === 0) throw rangeNotSatisfiable();
    return { start: Math.max(0, size - range.suffix) };
  }
}
