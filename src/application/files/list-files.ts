import { othersFilesNeedAdmin } from '../../domain/file/file-errors.js';
import type { FileStatus, StoredFile } from '../../domain/file/stored-file.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import { isAdmin, type Actor } from '../../domain/user/user.js';
import { decodeIdCursor, encodeIdCursor } from '../users/cursor.js';

const LISTED: readonly FileStatus[] = ['pending', 'ready'];

export interface ListFilesInput {
  actor: Actor;
  limit: number;
  cursor?: string;
  /** Whose files; the caller's own when absent. Someone else's only for an admin. */
  ownerId?: string;
}

export class ListFiles {
  constructor(private readonly catalog: FileCatalog) {}

  async execute(input: ListFilesInput): Promise<{ items: StoredFile[]; nextCursor: string | null }> {
    const ownerId = input.ownerId ?? input.actor.id;
    if (ownerId !== input.actor.id && !isAdmin(input.actor)) {
      throw othersFilesNeedAdmin();
    }
    const after = input.cursor === undefined ? undefined : decodeIdCursor(input.cursor);
    // A gone file is not one of the owner's files any more; it is still reachable by its id.
    const page = await this.catalog.list({ ownerId, limit: input.limit, after, statuses: LISTED });
    return { items: page.items, nextCursor: page.last ? encodeIdCursor(page.last) : null };
  }
}
