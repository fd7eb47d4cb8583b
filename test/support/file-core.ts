import { InMemoryFileStore } from '../../src/adapters/files/in-memory/in-memory-file-store.js';
import { InMemoryFileCatalog } from '../../src/adapters/persistence/in-memory/in-memory-file-catalog.js';
import { AbortUpload } from '../../src/application/files/abort-upload.js';
import { CompleteUpload } from '../../src/application/files/complete-upload.js';
import { DeleteFile } from '../../src/application/files/delete-file.js';
import { DeleteUserFiles } from '../../src/application/files/delete-user-files.js';
import { DownloadFile } from '../../src/application/files/download-file.js';
import type { FileLimits } from '../../src/application/files/file-limits.js';
import { GetDownloadUrl } from '../../src/application/files/get-download-url.js';
import { GetFile } from '../../src/application/files/get-file.js';
import { GetUploadProgress } from '../../src/application/files/get-upload-progress.js';
import { ListFiles } from '../../src/application/files/list-files.js';
import { ListVersions } from '../../src/application/files/list-versions.js';
import { RestoreVersion } from '../../src/application/files/restore-version.js';
import { SetLegalHold } from '../../src/application/files/set-legal-hold.js';
import { SetRetention } from '../../src/application/files/set-retention.js';
import { StartUpload } from '../../src/application/files/start-upload.js';
import { UploadFile } from '../../src/application/files/upload-file.js';
import type { Clock } from '../../src/domain/ports/clock.js';
import type { FileCatalog } from '../../src/domain/ports/file-catalog.js';
import type { FileStore } from '../../src/domain/ports/file-store.js';
import { ManualClock, uuidV7Ids } from './fakes.js';

const MIB = 1024 * 1024;
export const TEST_LIMITS: FileLimits = {
  maxUploadBytes: 64 * MIB,
  multipartThresholdBytes: 8 * MIB,
  partBytes: 5 * MIB,
  presignMaxSeconds: 900,
};

export interface FileCoreOptions {
  store?: FileStore;
  catalog?: FileCatalog;
  clock?: Clock;
  limits?: Partial<FileLimits>;
}

/** Every file use case over the given ports (in-memory ones by default): the unit layer's file world. */
export function aFileCore(options: FileCoreOptions = {}) {
  const clock = options.clock ?? new ManualClock();
  const store =
    options.store ??
    new InMemoryFileStore({ clock, presignMaxSeconds: TEST_LIMITS.presignMaxSeconds, linkBaseUrl: '/v1/files/_local' });
  const catalog = options.catalog ?? new InMemoryFileCatalog();
  const limits = { ...TEST_LIMITS, ...options.limits };
  const ids = uuidV7Ids();
  return {
    store,
    catalog,
    clock,
    limits,
    deleteUserFiles: new DeleteUserFiles(catalog, store),
    useCases: {
      uploadFile: new UploadFile(catalog, store, ids, clock, limits),
      listFiles: new ListFiles(catalog),
      getFile: new GetFile(catalog),
      downloadFile: new DownloadFile(catalog, store),
      getDownloadUrl: new GetDownloadUrl(catalog, store, limits),
      deleteFile: new DeleteFile(catalog, store),
      startUpload: new StartUpload(catalog, store, ids, clock, limits),
      getUploadProgress: new GetUploadProgress(catalog, store),
      completeUpload: new CompleteUpload(catalog, store, clock),
      abortUpload: new AbortUpload(catalog, store),
      listVersions: new ListVersions(catalog, store),
      restoreVersion: new RestoreVersion(catalog, store, clock),
      setLegalHold: new SetLegalHold(catalog, store),
      setRetention: new SetRetention(catalog, store, clock),
    },
  };
}
