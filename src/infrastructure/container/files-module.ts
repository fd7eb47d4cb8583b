import { hkdfSync } from 'node:crypto';
import { ContainerModule, type Container } from 'inversify';
import type { Logger } from 'pino';
import type { AppDeps } from '../../adapters/http/app.js';
import { InMemoryFileStore } from '../../adapters/files/in-memory/in-memory-file-store.js';
import { DiskLayout } from '../../adapters/files/local-disk/disk-layout.js';
import { DiskMultipart } from '../../adapters/files/local-disk/disk-multipart.js';
import { LocalDiskFileStore } from '../../adapters/files/local-disk/local-disk-file-store.js';
import { SignedFileLinks, type LinkBackedStore } from '../../adapters/files/signed-links/signed-file-links.js';
import { AbortUpload } from '../../application/files/abort-upload.js';
import { CompleteUpload } from '../../application/files/complete-upload.js';
import { DeleteFile } from '../../application/files/delete-file.js';
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
import type { FileStore, UploadLeftovers } from '../../domain/ports/file-store.js';
import type { Config } from '../config.js';
import { devSigningKeyPem } from '../dev-signing-key.js';
import { TOKENS as T } from '../tokens.js';
import type { Resources } from './resources.js';

/** Relative: the HTTP adapter puts the links on the origin each request came to. */
const LINK_BASE = '/v1/files/_local';

/** Files or store uploads the sweep asks for at a time. */
const SWEEP_BATCH = 100;

interface OpenedStore {
  store: FileStore;
  /** Only for stores whose pre-signed links the app itself answers: the store and the links' key. */
  links?: { store: LinkBackedStore; secret: Buffer };
  leftovers: UploadLeftovers;
}

/** S3's bucket lifecycle rule aborts its incomplete uploads; the memory store's die with the process. */
const NO_LEFTOVERS: UploadLeftovers = { idleSince: async () => [], discard: async () => undefined };

/**
 * FILE_URL_SECRET, or a key derived from the signing key, so every process (cluster workers,
 * restarts) accepts the links the others signed without another secret to manage.
 */
async function linkSecret(config: Config): Promise<Buffer> {
  if (config.files.urlSecret) return Buffer.from(config.files.urlSecret);
  const pem = config.jwt.privateKey ?? (await devSigningKeyPem(config.dataDir));
  return Buffer.from(hkdfSync('sha256', pem, 'portico', 'file-links', 32));
}

/** What the SDK says, without the command input it attaches (bodies, keys, headers). */
const sdkLine = (content: unknown[]) =>
  content.map((item) => {
    if (typeof item === 'string') return item;
    const { commandName, error } = (item ?? {}) as { commandName?: unknown; error?: { name?: unknown } };
    return { commandName, error: error?.name };
  });

/**
 * The SDK would warn through `console` otherwise. Its failed-command lines are debug only: the
 * adapter turns those failures into errors that the HTTP layer answers and logs itself.
 */
const sdkLogger = (logger: Logger) => ({
  debug: () => undefined,
  info: () => undefined,
  warn: (...content: unknown[]) => logger.warn({ sdk: sdkLine(content) }, 'aws sdk warning'),
  error: (...content: unknown[]) => logger.debug({ sdk: sdkLine(content) }, 'aws sdk error'),
});

/** One exhaustive switch over FILE_STORE. */
async function openFileStore(config: Config, logger: Logger, resources: Resources): Promise<OpenedStore> {
  const files = config.files;
  const store = files.store;
  const common = { presignMaxSeconds: files.presignMaxSeconds, deleteConcurrency: files.deleteConcurrency };
  switch (store) {
    case 'local': {
      const secret = await linkSecret(config);
      const local = new LocalDiskFileStore({ ...common, root: files.dir, linkBaseUrl: LINK_BASE, linkSecret: secret });
      return { store: local, links: { store: local, secret }, leftovers: new DiskMultipart(new DiskLayout(files.dir)) };
    }
    case 'memory': {
      const secret = await linkSecret(config);
      const memory = new InMemoryFileStore({ ...common, linkBaseUrl: LINK_BASE, linkSecret: secret });
      return { store: memory, links: { store: memory, secret }, leftovers: NO_LEFTOVERS };
    }
    case 's3': {
      const { s3, multipart } = files;
      // Checked by the config schema; repeated so the type says so too.
      if (!s3.bucket) throw new Error('S3_BUCKET is required with FILE_STORE=s3');
      // Imported here: the AWS SDK is ~20 MiB of RSS that a local or memory store never needs.
      const [{ createS3Client }, { S3FileStore }] = await Promise.all([import('../../adapters/files/s3/s3-client.js'), import('../../adapters/files/s3/s3-file-store.js')]);
      const client = createS3Client({ region: s3.region, forcePathStyle: s3.forcePathStyle }, { logger: sdkLogger(logger) });
      resources.onClose(async () => client.destroy());
      const sizes = { multipartThresholdBytes: multipart.thresholdBytes, partBytes: multipart.partBytes, queueSize: multipart.queueSize };
      // bucket:setup gives the bucket a default retention from the same setting, and S3 then refuses
      // every write without a checksum; without one, uploads skip the hashing.
      const settings = { ...common, ...sizes, bucket: s3.bucket, sse: s3.sse, checksums: s3.lock.days !== undefined };
      return { store: new S3FileStore(client, settings), leftovers: NO_LEFTOVERS };
    }
    default: {
      const unreachable: never = store;
      throw new Error(`unknown FILE_STORE ${String(unreachable)}`);
    }
  }
}

/** The file store, its links, and the file use cases (over the FileCatalog the persistence module binds). */
export async function filesModule(config: Config, logger: Logger, resources: Resources): Promise<ContainerModule> {
  const { store, links, leftovers } = await openFileStore(config, logger, resources);
  const { files } = config;
  const sweep = { abandonAfterMs: files.abandonedUploads.abandonAfterHours * 3_600_000, batchSize: SWEEP_BATCH };
  const limits: FileLimits = {
    maxUploadBytes: files.maxUploadBytes,
    multipartThresholdBytes: files.multipart.thresholdBytes,
    partBytes: files.multipart.partBytes,
    presignMaxSeconds: files.presignMaxSeconds,
  };
  return new ContainerModule(({ bind }) => {
    bind(T.FileStore).toConstantValue(store);
    // Over the catalog, so that a write link works only while its upload is pending.
    if (links) {
      bind(T.FileLinks).toResolvedValue((catalog, clock) => new SignedFileLinks(links.store, links.secret, clock, catalog), [T.FileCatalog, T.Clock]);
    }
    bind(T.FileLimits).toConstantValue(limits);
    const catalogAndStore = [T.FileCatalog, T.FileStore] as const;
    bind(T.UploadFile).toResolvedValue((...a) => new UploadFile(...a), [...catalogAndStore, T.IdGenerator, T.Clock, T.FileLimits]);
    bind(T.StartUpload).toResolvedValue((...a) => new StartUpload(...a), [...catalogAndStore, T.IdGenerator, T.Clock, T.FileLimits]);
    bind(T.GetDownloadUrl).toResolvedValue((...a) => new GetDownloadUrl(...a), [...catalogAndStore, T.FileLimits]);
    bind(T.ListFiles).toResolvedValue((c) => new ListFiles(c), [T.FileCatalog]);
    bind(T.GetFile).toResolvedValue((c) => new GetFile(c), [T.FileCatalog]);
    bind(T.DownloadFile).toResolvedValue((...a) => new DownloadFile(...a), [...catalogAndStore]);
    bind(T.DeleteFile).toResolvedValue((...a) => new DeleteFile(...a), [...catalogAndStore]);
    bind(T.GetUploadProgress).toResolvedValue((...a) => new GetUploadProgress(...a), [...catalogAndStore]);
    bind(T.CompleteUpload).toResolvedValue((...a) => new CompleteUpload(...a), [...catalogAndStore, T.Clock]);
    bind(T.AbortUpload).toResolvedValue((...a) => new AbortUpload(...a), [...catalogAndStore]);
    bind(T.ListVersions).toResolvedValue((...a) => new ListVersions(...a), [...catalogAndStore]);
    bind(T.RestoreVersion).toResolvedValue((...a) => new RestoreVersion(...a), [...catalogAndStore, T.Clock]);
    bind(T.SetLegalHold).toResolvedValue((...a) => new SetLegalHold(...a), [...catalogAndStore]);
    bind(T.SetRetention).toResolvedValue((...a) => new SetRetention(...a), [...catalogAndStore, T.Clock]);
    bind(T.SweepAbandonedUploads).toResolvedValue(
      (catalog, fileStore, clock) => new SweepAbandonedUploads(catalog, fileStore, leftovers, clock, sweep),
      [...catalogAndStore, T.Clock],
    );
  });
}

/** What the HTTP app needs for /v1/files; nothing when no FileCatalog is bound (every DB_DRIVER binds one now, Mongo included). */
export function fileHttpDeps(c: Container): Pick<AppDeps, 'fileUseCases' | 'fileLinks'> {
  if (!c.isBound(T.FileCatalog)) return {};
  return {
    fileLinks: c.isBound(T.FileLinks) ? c.get(T.FileLinks) : undefined,
    fileUseCases: {
      uploadFile: c.get(T.UploadFile),
      listFiles: c.get(T.ListFiles),
      getFile: c.get(T.GetFile),
      downloadFile: c.get(T.DownloadFile),
      getDownloadUrl: c.get(T.GetDownloadUrl),
      deleteFile: c.get(T.DeleteFile),
      startUpload: c.get(T.StartUpload),
      getUploadProgress: c.get(T.GetUploadProgress),
      completeUpload: c.get(T.CompleteUpload),
      abortUpload: c.get(T.AbortUpload),
      listVersions: c.get(T.ListVersions),
      restoreVersion: c.get(T.RestoreVersion),
      setLegalHold: c.get(T.SetLegalHold),
      setRetention: c.get(T.SetRetention),
    },
  };
}
