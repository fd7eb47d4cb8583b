import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { fileUploadRoutes } from '../../adapters/http/routes/file-uploads.js';
import { fileVersionRoutes } from '../../adapters/http/routes/file-versions.js';
import { filesRoutes } from '../../adapters/http/routes/files.js';
import { AbortUpload } from '../../application/files/abort-upload.js';
import { CompleteUpload } from '../../application/files/complete-upload.js';
import { DeleteFile } from '../../application/files/delete-file.js';
import { DeleteUserFiles } from '../../application/files/delete-user-files.js';
import { DownloadFile } from '../../application/files/download-file.js';
import type { FileLimits } from '../../application/files/file-limits.js';
import { GetDownloadUrl } from '../../application/files/get-download-url.js';
import { GetFile } from '../../application/files/get-file.js';
import { GetUploadProgress } from '../../application/files/get-upload-progress.js';
import { ListFiles } from '../../application/files/list-files.js';
import { ListVersions } from '../../application/files/list-versions.js';
import { RestoreVersion } from '../../application/files/restore-version.js';
import { SetLegalHold } from '../../application/files/set-legal-hold.js';
import { SetRetention } from '../../application/files/set-retention.js';
import { StartUpload } from '../../application/files/start-upload.js';
import { SweepAbandonedUploads } from '../../application/files/sweep-abandoned-uploads.js';
import { UploadFile } from '../../application/files/upload-file.js';
import type { Config } from '../config.js';
import { bindFileStore, bindS3Client } from './file-stores.js';
import { TOKENS as T } from './tokens.js';
import { scheduleUploadSweep } from './upload-sweep-schedule.js';

/** Files or store uploads the sweep asks for at a time. */
const SWEEP_BATCH = 100;

/** The file store, the file use cases over it and the FileCatalog, the upload sweep, and the /v1/files routes. */
export function filesModule(config: Config, logger: Logger): ContainerModule {
  const { files } = config;
  const sweep = { abandonAfterMs: files.abandonedUploads.abandonAfterHours * 3_600_000, batchSize: SWEEP_BATCH };
  const limits: FileLimits = {
    maxUploadBytes: files.maxUploadBytes,
    multipartThresholdBytes: files.multipart.thresholdBytes,
    partBytes: files.multipart.partBytes,
    presignMaxSeconds: files.presignMaxSeconds,
  };
  return new ContainerModule(async ({ bind }) => {
    bindS3Client(bind, config, logger);
    // First: its link routes, if any, go before `/v1/files/{id}/...`.
    await bindFileStore(bind, config);
    bind(T.FileLimits).toConstantValue(limits);
    const catalogAndStore = [T.FileCatalog, T.FileStore] as const;
    bind(UploadFile).toResolvedValue(
      (...a) => new UploadFile(...a),
      [...catalogAndStore, T.IdGenerator, T.Clock, T.FileLimits],
    );
    bind(ListFiles).toResolvedValue((c) => new ListFiles(c), [T.FileCatalog]);
    bind(GetFile).toResolvedValue((c) => new GetFile(c), [T.FileCatalog]);
    bind(DownloadFile).toResolvedValue((...a) => new DownloadFile(...a), [...catalogAndStore]);
    bind(GetDownloadUrl).toResolvedValue((...a) => new GetDownloadUrl(...a), [...catalogAndStore, T.FileLimits]);
    bind(DeleteFile).toResolvedValue((...a) => new DeleteFile(...a), [...catalogAndStore]);
    bind(DeleteUserFiles).toResolvedValue((...a) => new DeleteUserFiles(...a), [...catalogAndStore]);
    bind(StartUpload).toResolvedValue(
      (...a) => new StartUpload(...a),
      [...catalogAndStore, T.IdGenerator, T.Clock, T.FileLimits],
    );
    bind(GetUploadProgress).toResolvedValue((...a) => new GetUploadProgress(...a), [...catalogAndStore]);
    bind(CompleteUpload).toResolvedValue((...a) => new CompleteUpload(...a), [...catalogAndStore, T.Clock]);
    bind(AbortUpload).toResolvedValue((...a) => new AbortUpload(...a), [...catalogAndStore]);
    bind(ListVersions).toResolvedValue((...a) => new ListVersions(...a), [...catalogAndStore]);
    bind(RestoreVersion).toResolvedValue((...a) => new RestoreVersion(...a), [...catalogAndStore, T.Clock]);
    bind(SetLegalHold).toResolvedValue((...a) => new SetLegalHold(...a), [...catalogAndStore]);
    bind(SetRetention).toResolvedValue((...a) => new SetRetention(...a), [...catalogAndStore, T.Clock]);
    bind(SweepAbandonedUploads).toResolvedValue(
      (catalog, store, leftovers, clock) => new SweepAbandonedUploads(catalog, store, leftovers, clock, sweep),
      [...catalogAndStore, T.UploadLeftovers, T.Clock],
    );
    const minutes = files.abandonedUploads.sweepIntervalMinutes;
    bind(T.BackgroundJobs)
      .toResolvedValue((s) => scheduleUploadSweep(s, minutes, logger), [SweepAbandonedUploads])
      .onDeactivation((job) => job.stop());
    bind(T.Routes).toResolvedValue(
      (uploadFile, listFiles, getFile, downloadFile, getDownloadUrl, deleteFile) => (api) =>
        filesRoutes(api, { uploadFile, listFiles, getFile, downloadFile, getDownloadUrl, deleteFile }),
      [UploadFile, ListFiles, GetFile, DownloadFile, GetDownloadUrl, DeleteFile],
    );
    bind(T.Routes).toResolvedValue(
      (startUpload, getUploadProgress, completeUpload, abortUpload) => (api) =>
        fileUploadRoutes(api, { startUpload, getUploadProgress, completeUpload, abortUpload }),
      [StartUpload, GetUploadProgress, CompleteUpload, AbortUpload],
    );
    bind(T.Routes).toResolvedValue(
      (listVersions, restoreVersion, setLegalHold, setRetention) => (api) =>
        fileVersionRoutes(api, { listVersions, restoreVersion, setLegalHold, setRetention }),
      [ListVersions, RestoreVersion, SetLegalHold, SetRetention],
    );
  });
}
