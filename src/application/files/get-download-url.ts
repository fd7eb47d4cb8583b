import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore } from '../../domain/ports/file-store.js';
import type { Actor } from '../../domain/user/user.js';
import { loadVisibleFile, requireReady } from './access.js';
import { attachmentDisposition } from './content-disposition.js';
import type { FileLimits } from './file-limits.js';

export interface GetDownloadUrlInput {
  actor: Actor;
  id: string;
  /** Seconds; the configured maximum when absent, and never more than it. */
  expiresIn?: number;
  versionId?: string;
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
    const signed = await this.store.presignGet(file.key(), { expiresInSeconds, versionId: input.versionId, contentDisposition: attachmentDisposition(file.name) });
    return { url: signed.url, expiresAt: signed.expiresAt };
  }
}
