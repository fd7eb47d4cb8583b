import {
  ForeignKeyConstraintViolationException,
  type EntityManager,
  type FilterQuery,
  type MikroORM,
} from '@mikro-orm/core';
import { validate as isUuid } from 'uuid';
import { invalidCursor, notFound, preconditionFailed } from '../../../domain/errors.js';
import { fileNotFound } from '../../../domain/file/file-errors.js';
import { StoredFile } from '../../../domain/file/stored-file.js';
import type { FileCatalog, FilePage, FileQuery } from '../../../domain/ports/file-catalog.js';
import { translateDbError } from './db-errors.js';
import { contextEm } from './transaction-scope.js';

// Plain domain objects out, never managed entities; SQL NULL becomes an absent field.
const detached = (f: StoredFile) =>
  new StoredFile(
    f.id,
    f.ownerId,
    f.name,
    f.contentType,
    Number(f.size),
    f.status,
    new Date(f.createdAt),
    new Date(f.updatedAt),
    f.checksum ?? undefined,
    f.versionId ?? undefined,
    f.uploadId ?? undefined,
    f.version,
  );

const row = (f: StoredFile) => ({
  ...detached(f),
  checksum: f.checksum ?? null,
  versionId: f.versionId ?? null,
  uploadId: f.uploadId ?? null,
});

/**
 * Like MikroOrmUserStore: one native statement per write, reads past the identity map, and ids
 * that are not UUIDs miss instead of reaching PostgreSQL's uuid comparison.
 */
export class MikroOrmFileCatalog implements FileCatalog {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return contextEm(this.orm);
  }

  create(file: StoredFile): Promise<void> {
    return translateDbError(async () => {
      try {
        await this.em().insert(StoredFile, { ...row(file), version: 1 });
      } catch (error) {
        // The owner was deleted meanwhile: the file has nobody to belong to.
        if (error instanceof ForeignKeyConstraintViolationException) throw notFound();
        throw error;
      }
    });
  }

  /** `WHERE id = ? AND version = ?`, as MikroOrmUserStore.update. */
  update(file: StoredFile, expectedVersion?: number): Promise<void> {
    const { id } = file;
    const { name, contentType, size, status, checksum, versionId, uploadId, updatedAt } = row(file);
    const changes = { name, contentType, size, status, checksum, versionId, uploadId, updatedAt };
    return translateDbError(async () => {
      if (!isUuid(id)) throw fileNotFound();
      let base = expectedVersion ?? file.version;
      while (
        (await this.em().nativeUpdate(StoredFile, { id, version: base }, { ...changes, version: base + 1 })) === 0
      ) {
        const current = await this.findById(id);
        if (!current) throw fileNotFound();
        if (expectedVersion !== undefined) throw preconditionFailed();
        base = current.version;
      }
      file.version = base + 1;
    });
  }

  findById(id: string): Promise<StoredFile | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return translateDbError(async () => {
      const found = await this.em().findOne(StoredFile, { id }, { disableIdentityMap: true });
      return found ? detached(found) : null;
    });
  }

  list(query: FileQuery): Promise<FilePage> {
    const { after, ownerId, limit, statuses } = query;
    if (after !== undefined && !isUuid(after)) {
      return Promise.reject(invalidCursor());
    }
    if (ownerId !== undefined && !isUuid(ownerId)) return Promise.resolve({ items: [], last: null });
    const where: FilterQuery<StoredFile> = {
      ...(after === undefined ? {} : { id: { $gt: after } }),
      ...(ownerId === undefined ? {} : { ownerId }),
      ...(statuses === undefined ? {} : { status: { $in: [...statuses] } }),
    };
    return translateDbError(async () => {
      // One extra row tells whether another page follows, without a count query.
      const rows = await this.em().find(StoredFile, where, {
        orderBy: { id: 'asc' },
        limit: limit + 1,
        disableIdentityMap: true,
      });
      const items = rows.slice(0, limit).map(detached);
      return { items, last: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
    });
  }

  delete(id: string, expectedVersion?: number): Promise<boolean> {
    if (!isUuid(id)) return Promise.resolve(false);
    return translateDbError(async () => {
      if (expectedVersion === undefined) return (await this.em().nativeDelete(StoredFile, { id })) > 0;
      if ((await this.em().nativeDelete(StoredFile, { id, version: expectedVersion })) > 0) return true;
      if (await this.findById(id)) throw preconditionFailed();
      return false;
    });
  }

  listByOwner(ownerId: string): Promise<StoredFile[]> {
    if (!isUuid(ownerId)) return Promise.resolve([]);
    return translateDbError(async () => {
      const rows = await this.em().find(StoredFile, { ownerId }, { orderBy: { id: 'asc' }, disableIdentityMap: true });
      return rows.map(detached);
    });
  }

  listPendingCreatedBefore(before: Date, limit: number): Promise<StoredFile[]> {
    return translateDbError(async () => {
      const where: FilterQuery<StoredFile> = { status: 'pending', createdAt: { $lt: before } };
      const rows = await this.em().find(StoredFile, where, {
        orderBy: { createdAt: 'asc', id: 'asc' },
        limit,
        disableIdentityMap: true,
      });
      return rows.map(detached);
    });
  }
}
