import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore } from '../../domain/ports/file-store.js';
import type { Actor } from '../../domain/user/user.js';
import { loadVisibleFile, requireReady } from './access.js';
import type { FileLimits } from './file-limits.js';

export interface GetDownloadUrlInput {
  actor: Actor;
  id: string;
  /** Seconds; the configured maximum when absent, and never more than it. */
  expiresIn?: number;
  versionId?: string;
  /**
   * The Content-Disposition the link answers with, made from the file's name. The HTTP adapter
   * owns the header's format; the store must sign it in, so it is needed before the link exists.
   */
  disposition: (fileName: string) => string;
}

/** A pre-signed GET that downloads the file as an attachment under its own name. */
export class GetDownloadUrl {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
    private readonly limits: Pick<FileLimits, 'presignMaxSeconds'>,
  ) {}

  async execute(input: GetDownloadUrlInput): Promise<{ url: string; expiresAt: Date }> {
    const file = await loadVisibleFile(this.catalog, input.actor, input.id);
    requireReady(file);
    const max = this.limits.presignMaxSeconds;
    const expiresInSeconds = Math.min(input.expiresIn ?? max, max);
    const signed = await this.store.presignGet(file.key(), {
      expiresInSeconds,
      versionId: input.versionId,
      contentDisposition: input.disposition(file.name),
    });
    return { url: signed.url, expiresAt: signed.expiresAt };
  }
}
