import type { FileStatus, StoredFile } from '../file/stored-file.js';

export interface FilePage {
  items: StoredFile[];
  /** The id of the last item when more follow, else null. */
  last: string | null;
}

export interface FileQuery {
  limit: number;
  /** Items strictly after this id (UUIDv7, so id order is creation order). */
  after?: string;
  /** Only this owner's files; every file when absent. */
  ownerId?: string;
  /** Only files in one of these statuses; every status when absent. */
  statuses?: readonly FileStatus[];
}

/**
 * File metadata rows, kept in the same store as the users. `create` throws USER.NOT_FOUND when the
 * owner does not exist; `update` throws FILE.NOT_FOUND for a missing row; an adapter that cannot
 * reach its backend throws DB.UNAVAILABLE. Rows never go away by themselves when their owner is
 * deleted: the bytes have to be deleted first (see DeleteUserFiles).
 *
 * Versions as in UserStore: every write adds 1 to a row's `version` (1 at creation), `update` sets
 * the written file's `version` to the one stored, and with `expectedVersion` `update` and `delete`
 * happen only if the stored version is still that one (atomically), else PRECONDITION.FAILED.
 */
export interface FileCatalog {
  create(file: StoredFile): Promise<void>;
  update(file: StoredFile, expectedVersion?: number): Promise<void>;
  findById(id: string): Promise<StoredFile | null>;
  list(query: FileQuery): Promise<FilePage>;
  /** Returns false when no such row existed. */
  delete(id: string, expectedVersion?: number): Promise<boolean>;
  /** Every file of one owner, pending and gone ones included, in id order. */
  listByOwner(ownerId: string): Promise<StoredFile[]>;
  /** Pending files created before `before`, oldest first (then by id), at most `limit`: uploads to sweep. */
  listPendingCreatedBefore(before: Date, limit: number): Promise<StoredFile[]>;
}
