import { EntitySchema, type OptionalProps } from '@mikro-orm/core';
import { FILE_STATUSES, type FileStatus } from '../../../domain/file/stored-file.js';

/**
 * One document of `files`. As for users, `_id` is the file's UUIDv7 as a string and `id` is
 * MikroORM's virtual copy of it, never stored. Absent optional fields are stored as null.
 */
export interface FileDocument {
  [OptionalProps]?: 'id';
  _id: string;
  id: string;
  ownerId: string;
  name: string;
  contentType: string;
  /** BSON int32, or a double past 2^31 bytes: exact up to 2^53, far past S3's 5 TiB. */
  size: number;
  status: FileStatus;
  checksum: string | null;
  versionId: string | null;
  uploadId: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** +1 on every write; absent in documents written before versions existed, which read as 1. */
  version?: number;
}

/**
 * One owner's files, in id order: serves `{ ownerId }` (DeleteUserFiles, the owner check before a
 * user is deleted) and `{ ownerId, _id: { $gt } }` sorted by `_id` (an owner's pages) alike.
 * Listing every owner pages on the built-in `_id` index.
 */
export const FILES_OWNER_INDEX = 'files_owner_id_id_index';

/**
 * MongoDB has no foreign keys: the owner is checked by MongoFileCatalog.create, and a user who
 * still has files is kept by MongoUserStore.delete, as the SQL key (ON DELETE RESTRICT) does.
 */
export const MongoFileSchema = new EntitySchema<FileDocument>({
  name: 'FileDocument',
  collection: 'files',
  indexes: [{ name: FILES_OWNER_INDEX, properties: ['ownerId', '_id'] }],
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', serializedPrimaryKey: true },
    ownerId: { type: 'string' },
    name: { type: 'string' },
    contentType: { type: 'string' },
    size: { type: 'number' },
    status: { enum: true, items: () => [...FILE_STATUSES], type: 'string' },
    checksum: { type: 'string', nullable: true },
    versionId: { type: 'string', nullable: true },
    uploadId: { type: 'string', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    version: { type: 'number', nullable: true },
  },
});
