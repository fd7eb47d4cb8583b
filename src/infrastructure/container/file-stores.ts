import { hkdfSync } from 'node:crypto';
import type { Bind, ServiceIdentifier } from 'inversify';
import type { Logger } from 'pino';
import { InMemoryFileStore } from '../../adapters/files/in-memory/in-memory-file-store.js';
import { DiskLayout } from '../../adapters/files/local-disk/disk-layout.js';
import { DiskMultipart } from '../../adapters/files/local-disk/disk-multipart.js';
import { LocalDiskFileStore } from '../../adapters/files/local-disk/local-disk-file-store.js';
import { SignedFileLinks, type LinkBackedStore } from '../../adapters/files/signed-links/signed-file-links.js';
import { fileLinkRoutes } from '../../adapters/http/routes/file-links.js';
import type { UploadLeftovers } from '../../domain/ports/file-store.js';
import type { Config } from '../config.js';
import { TOKENS as T } from './tokens.js';

/** Relative: the HTTP adapter puts the links on the origin each request came to. */
const LINK_BASE = '/v1/files/_local';

/** S3's bucket lifecycle rule aborts its incomplete uploads; the memory store's die with the process. */
const NO_LEFTOVERS: UploadLeftovers = { idleSince: async () => [], discard: async () => undefined };

/**
 * FILE_URL_SECRET, or a key derived from the signing key, so every process (cluster workers,
 * restarts) accepts the links the others signed without another secret to manage.
 */
const linkSecret = (config: Config, signingKeyPem: string) =>
  config.files.urlSecret
    ? Buffer.from(config.files.urlSecret)
    : Buffer.from(hkdfSync('sha256', signingKeyPem, 'portico', 'file-links', 32));

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

/**
 * The S3 client from the S3_* settings, whatever FILE_STORE is (bucket:setup and docs:publish use it
 * too). Imported when first needed: the AWS SDK is ~20 MiB of RSS that a local or memory store never needs.
 */
export function bindS3Client(bind: Bind, config: Config, logger: Logger): void {
  const { region, forcePathStyle } = config.files.s3;
  bind(T.S3Client)
    .toResolvedValue(async () =>
      (await import('../../adapters/files/s3/s3-client.js')).createS3Client(
        { region, forcePathStyle },
        { logger: sdkLogger(logger) },
      ),
    )
    .onDeactivation((client) => client.destroy());
}

/**
 * One exhaustive switch over FILE_STORE: the FileStore, what the upload sweep clears besides it, and,
 * for the stores whose pre-signed links the app answers itself, those link routes.
 */
export async function bindFileStore(bind: Bind, config: Config): Promise<void> {
  const files = config.files;
  const store = files.store;
  const common = { presignMaxSeconds: files.presignMaxSeconds, deleteConcurrency: files.deleteConcurrency };
  switch (store) {
    case 'local': {
      const root = files.dir;
      bind(LocalDiskFileStore).toResolvedValue(
        (pem) =>
          new LocalDiskFileStore({ ...common, root, linkBaseUrl: LINK_BASE, linkSecret: linkSecret(config, pem) }),
        [T.SigningKeyPem],
      );
      bind(T.FileStore).toService(LocalDiskFileStore);
      bind(T.UploadLeftovers).toConstantValue(new DiskMultipart(new DiskLayout(root)));
      return bindLinkRoutes(bind, config, LocalDiskFileStore);
    }
    case 'memory': {
      bind(InMemoryFileStore).toResolvedValue(
        (pem) => new InMemoryFileStore({ ...common, linkBaseUrl: LINK_BASE, linkSecret: linkSecret(config, pem) }),
        [T.SigningKeyPem],
      );
      bind(T.FileStore).toService(InMemoryFileStore);
      bind(T.UploadLeftovers).toConstantValue(NO_LEFTOVERS);
      return bindLinkRoutes(bind, config, InMemoryFileStore);
    }
    case 's3': {
      const { s3, multipart } = files;
      // Checked by the config schema; repeated so the type says so too.
      const bucket = s3.bucket;
      if (!bucket) throw new Error('S3_BUCKET is required with FILE_STORE=s3');
      const { S3FileStore } = await import('../../adapters/files/s3/s3-file-store.js');
      const sizes = {
        multipartThresholdBytes: multipart.thresholdBytes,
        partBytes: multipart.partBytes,
        queueSize: multipart.queueSize,
      };
      // bucket:setup gives the bucket a default retention from the same setting, and S3 then refuses
      // every write without a checksum; without one, uploads skip the hashing.
      const settings = { ...common, ...sizes, bucket, sse: s3.sse, checksums: s3.lock.days !== undefined };
      bind(T.FileStore).toResolvedValue((client) => new S3FileStore(client, settings), [T.S3Client]);
      bind(T.UploadLeftovers).toConstantValue(NO_LEFTOVERS);
      return;
    }
    default: {
      const unreachable: never = store;
      throw new Error(`unknown FILE_STORE ${String(unreachable)}`);
    }
  }
}

/** `/v1/files/_local/{token}`, over the catalog so that a write link works only while its upload is pending. */
function bindLinkRoutes(bind: Bind, config: Config, store: ServiceIdentifier<LinkBackedStore>): void {
  bind(T.Routes).toResolvedValue(
    (linked, pem, clock, catalog) => {
      const links = new SignedFileLinks(linked, linkSecret(config, pem), clock, catalog);
      return (api) => fileLinkRoutes(api, links);
    },
    [store, T.SigningKeyPem, T.Clock, T.FileCatalog],
  );
}
