import { QueryOrder, RequestContext, type EntityManager, type FilterQuery, type MikroORM } from '@mikro-orm/core';
import { validate as isUuid } from 'uuid';
import { invalid, invalidCursor, notFound } from '../../../domain/errors.js';
import { fileNotFound } from '../../../domain/file/file-errors.js';
import { FILE_STATUSES, StoredFile, type FileStatus } from '../../../domain/file/stored-file.js';
import type { FileCatalog, FilePage, FileQuery } from '../../../domain/ports/file-catalog.js';
import { translateMongoError } from './mongo-errors.js';
import { MongoFileSchema, type FileDocument } from './mongo-file-schema.js';
import { asCount, asDate, asString, asStringOrNull } from './mongo-guards.js';
import { MongoUserSchema } from './mongo-user-schema.js';
import { atVersion, deleteClaims, storedVersion, writeVersioned } from './mongo-versions.js';

function knownStatus(value: unknown): FileStatus {
  const status = asString(value, 'status');
  if (!(FILE_STATUSES as readonly string[]).includes(status))
    throw invalid('Status is not valid.', [{ path: 'status', message: 'unknown status' }]);
  return status as FileStatus;
}

function toDocument(f: StoredFile): Omit<FileDocument, 'id'> {
  const status = knownStatus(f.status);
  return {
    _id: asString(f.id, 'id'),
    ownerId: asString(f.ownerId, 'ownerId'),
    name: asString(f.name, 'name'),
    contentType: asString(f.contentType, 'contentType'),
    size: asCount(f.size, 'size'),
    status,
    checksum: asStringOrNull(f.checksum, 'checksum'),
    versionId: asStringOrNull(f.versionId, 'versionId'),
    uploadId: asStringOrNull(f.uploadId, 'uploadId'),
    createdAt: asDate(f.createdAt, 'createdAt'),
    updatedAt: asDate(f.updatedAt, 'updatedAt'),
  };
}

// Plain domain objects out, never ORM-managed documents; a stored null becomes an absent field.
const toFile = (d: FileDocument) =>
  new StoredFile(
    d._id,
    d.ownerId,
    d.name,
    d.contentType,
    Number(d.size),
    d.status,
    new Date(d.createdAt),
    new Date(d.updatedAt),
    d.checksum ?? undefined,
    d.versionId ?? undefined,
    d.uploadId ?? undefined,
    storedVersion(d),
  );

/**
 * The same contract as MikroOrmFileCatalog, written like MongoUserStore: one native command per
 * write, reads past the identity map, every filter value through the guards (mongo-guards.ts), and
 * ids that are not UUIDs miss without a query.
 */
export class MongoFileCatalog implements FileCatalog {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return RequestContext.getEntityManager() ?? this.orm.em.fork();
  }

  /**
   * SQL refuses an unknown owner by its foreign key; MongoDB has none, so the owner is looked up
   * first. Check and insert are two commands, not one transaction (that needs a replica set): a
   * user deleted in between leaves this row ownerless. MongoUserStore.delete refuses a user with
   * rows, which narrows that to a create racing the delete's own check; such a row stays visible
   * to admins (`GET /v1/files?ownerId=`) and deletable by id.
   */
  create(file: StoredFile): Promise<void> {
    return translateMongoError(async () => {
      const document = toDocument(file);
      const em = this.em();
      if (!isUuid(document.ownerId) || (await em.count(MongoUserSchema, { _id: document.ownerId })) === 0)
        throw notFound();
      await em.insert<FileDocument>(MongoFileSchema, { ...document, version: 1 });
    });
  }

  /** The owner and creation time never change. Versioned as MongoUserStore.update. */
  update(file: StoredFile, expectedVersion?: number): Promise<void> {
    return translateMongoError(async () => {
      const { _id, ownerId: _owner, createdAt: _created, ...changes } = toDocument(file);
      if (!isUuid(_id)) throw fileNotFound();
      const em = this.em();
      const version = await writeVersioned(
        em,
        `files:${_id}`,
        () => this.versionOf(em, _id),
        expectedVersion,
        (from, to) => em.nativeUpdate(MongoFileSchema, { _id, ...atVersion(from) }, { ...changes, version: to }),
      );
      if (version === null) throw fileNotFound();
      file.version = version;
    });
  }

  private async versionOf(em: EntityManager, _id: string): Promise<number | null> {
    const found = await em.findOne(MongoFileSchema, { _id }, { disableIdentityMap: true, fields: ['version'] });
    return found ? storedVersion(found) : null;
  }

  findById(id: string): Promise<StoredFile | null> {
    return translateMongoError(async () => {
      if (!isUuid(asString(id, 'id'))) return null;
      const found = await this.em().findOne(MongoFileSchema, { _id: id }, { disableIdentityMap: true });
      return found ? toFile(found) : null;
    });
  }

  list(query: FileQuery): Promise<FilePage> {
    return translateMongoError(async () => {
      const { limit } = query;
      const after = query.after === undefined ? undefined : asString(query.after, 'cursor');
      const ownerId = query.ownerId === undefined ? undefined : asString(query.ownerId, 'ownerId');
      if (after !== undefined && !isUuid(after)) throw invalidCursor();
      if (!Number.isSafeInteger(limit) || limit < 0)
        throw invalid('The limit is not valid.', [{ path: 'limit', message: 'must be a whole number' }]);
      if (ownerId !== undefined && !isUuid(ownerId)) return { items: [], last: null };
      const statuses = query.statuses?.map((s) => knownStatus(s));
      const where: FilterQuery<FileDocument> = {
        ...(ownerId === undefined ? {} : { ownerId }),
        ...(statuses === undefined ? {} : { status: { $in: statuses } }),
        ...(after === undefined ? {} : { _id: { $gt: after } }),
      };
      // One extra document tells whether another page follows, without a count.
      const docs = await this.findSorted(where, limit + 1);
      const items = docs.slice(0, limit).map(toFile);
      return { items, last: docs.length > limit ? (items.at(-1)?.id ?? null) : null };
    });
  }

  delete(id: string, expectedVersion?: number): Promise<boolean> {
    return translateMongoError(async () => {
      if (!isUuid(asString(id, 'id'))) return false;
      const em = this.em();
      const deleted =
        expectedVersion === undefined
          ? (await em.nativeDelete(MongoFileSchema, { _id: id })) > 0
          : (await writeVersioned(
              em,
              `files:${id}`,
              () => this.versionOf(em, id),
              expectedVersion,
              (from) => em.nativeDelete(MongoFileSchema, { _id: id, ...atVersion(from) }),
            )) !== null;
      await deleteClaims(em, `files:${id}`);
      return deleted;
    });
  }

  listByOwner(ownerId: string): Promise<StoredFile[]> {
    return translateMongoError(async () => {
      if (!isUuid(asString(ownerId, 'ownerId'))) return [];
      return (await this.findSorted({ ownerId })).map(toFile);
    });
  }

  /** A scan of the collection (no index leads with status); the sweep runs it now and then, in small batches. */
  listPendingCreatedBefore(before: Date, limit: number): Promise<StoredFile[]> {
    return translateMongoError(async () => {
      const where: FilterQuery<FileDocument> = { status: 'pending', createdAt: { $lt: asDate(before, 'before') } };
      const orderBy = { createdAt: QueryOrder.ASC, _id: QueryOrder.ASC };
      const docs = await this.em().find(MongoFileSchema, where, {
        orderBy,
        limit: asCount(limit, 'limit'),
        disableIdentityMap: true,
      });
      return docs.map(toFile);
    });
  }

  /** In id order, on the (ownerId, _id) index when an owner is given and on `_id` when not. */
  private findSorted(where: FilterQuery<FileDocument>, limit?: number): Promise<FileDocument[]> {
    return this.em().find(MongoFileSchema, where, {
      orderBy: { _id: QueryOrder.ASC },
      limit,
      disableIdentityMap: true,
    });
  }
}
