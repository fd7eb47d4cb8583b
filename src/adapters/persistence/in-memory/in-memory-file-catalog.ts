import { validate as isUuid } from 'uuid';
import { invalidCursor, preconditionFailed } from '../../../domain/errors.js';
import { fileNotFound } from '../../../domain/file/file-errors.js';
import { copyFile, type StoredFile } from '../../../domain/file/stored-file.js';
import type { FileCatalog, FilePage, FileQuery } from '../../../domain/ports/file-catalog.js';

const byId = (a: StoredFile, b: StoredFile) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * For unit tests and `DB_DRIVER=memory`; holds the same contract as the SQL catalogs, except that
 * it knows no users, so it cannot refuse an unknown owner.
 */
export class InMemoryFileCatalog implements FileCatalog {
  private readonly files = new Map<string, StoredFile>();

  async create(file: StoredFile): Promise<void> {
    if (this.files.has(file.id)) throw new Error(`duplicate file id ${file.id}`);
    this.files.set(file.id, Object.assign(copyFile(file), { version: 1 }));
  }

  async update(file: StoredFile, expectedVersion?: number): Promise<void> {
    const current = this.files.get(file.id);
    if (!current) throw fileNotFound();
    if (expectedVersion !== undefined && current.version !== expectedVersion) throw preconditionFailed();
    file.version = current.version + 1;
    const next = copyFile(file);
    // Owner and creation time never change, as in the SQL catalogs.
    next.ownerId = current.ownerId;
    next.createdAt = current.createdAt;
    this.files.set(file.id, next);
  }

  async findById(id: string): Promise<StoredFile | null> {
    const file = this.files.get(id);
    return file ? copyFile(file) : null;
  }

  async list(query: FileQuery): Promise<FilePage> {
    const { after, ownerId, statuses } = query;
    if (after !== undefined && !isUuid(after)) {
      throw invalidCursor();
    }
    const matching = [...this.files.values()]
      .filter(
        (f) =>
          (after === undefined || f.id > after) &&
          (ownerId === undefined || f.ownerId === ownerId) &&
          (statuses === undefined || statuses.includes(f.status)),
      )
      .sort(byId);
    const items = matching.slice(0, query.limit).map(copyFile);
    return { items, last: matching.length > items.length ? (items.at(-1)?.id ?? null) : null };
  }

  async delete(id: string, expectedVersion?: number): Promise<boolean> {
    const current = this.files.get(id);
    if (current && expectedVersion !== undefined && current.version !== expectedVersion) throw preconditionFailed();
    return this.files.delete(id);
  }

  async listByOwner(ownerId: string): Promise<StoredFile[]> {
    return [...this.files.values()]
      .filter((f) => f.ownerId === ownerId)
      .sort(byId)
      .map(copyFile);
  }

  async listPendingCreatedBefore(before: Date, limit: number): Promise<StoredFile[]> {
    return [...this.files.values()]
      .filter((f) => f.status === 'pending' && f.createdAt < before)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || byId(a, b))
      .slice(0, limit)
      .map(copyFile);
  }
}
