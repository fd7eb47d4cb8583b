import { BigIntType, EntitySchema } from '@mikro-orm/core';
import { FILE_STATUSES, StoredFile } from '../../../domain/file/stored-file.js';

/**
 * Rows of `files`. The foreign key to users lives in the migrations, hand-written: ON DELETE
 * RESTRICT, because a row must not vanish while its bytes are still in the store. Deleting a user
 * deletes the bytes, then the rows (DeleteUserFiles), then the user; the key makes a user with
 * rows left undeletable instead of leaving bytes nobody can find.
 */
export const FileSchema = new EntitySchema<StoredFile>({
  class: StoredFile,
  tableName: 'files',
  properties: {
    id: { type: 'uuid', primary: true },
    ownerId: { type: 'uuid', fieldName: 'owner_id', index: true },
    name: { type: 'text' },
    contentType: { type: 'string', length: 255, fieldName: 'content_type' },
    // Up to 5 TiB: past 32 bits, well inside a double.
    size: { type: new BigIntType('number') },
    status: { enum: true, items: () => [...FILE_STATUSES], type: 'string' },
    checksum: { type: 'string', length: 64, nullable: true },
    versionId: { type: 'string', length: 1024, fieldName: 'version_id', nullable: true },
    uploadId: { type: 'string', length: 1024, fieldName: 'upload_id', nullable: true },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
    updatedAt: { type: 'datetime', fieldName: 'updated_at' },
    // +1 on every write; conditional writes (If-Match) compare it in their WHERE clause.
    version: { type: 'integer', default: 1 },
  },
});
