import { createReadStream, open } from 'node:fs';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Readable } from 'node:stream';
import { DomainError } from '../../../domain/errors.js';
import { fileFeatureUnsupported, fileNotFound } from '../../../domain/file/file-errors.js';
import type { FileKey } from '../../../domain/file/file-key.js';
import type { Clock } from '../../../domain/ports/clock.js';
import type {
  ByteRange,
  FileLinks,
  ObjectContent,
  ObjectInfo,
  ObjectVersion,
  PartRef,
  PutInput,
  StoredObject,
  UploadedPart,
} from '../../../domain/ports/file-store.js';
import { deleteAll } from '../delete-all.js';
import { LinkSigner } from '../signed-links/link-signer.js';
import { SignedFileLinks, type LinkBackedStore } from '../signed-links/signed-file-links.js';
import { checkCompletion, multipartEtag, resolveRange } from '../store-rules.js';
import { DiskLayout, diskError, isMissing, type ObjectMeta } from './disk-layout.js';
import { DiskMultipart } from './disk-multipart.js';

export interface LocalDiskFileStoreSettings {
  /** Directory holding everything; created on first write. */
  root: string;
  /** Where the app serves this store's links, e.g. `http://localhost:3000/v1/files/_local`. */
  linkBaseUrl: string;
  /** HMAC key for the links (FILE_URL_SECRET); at least 32 bytes. */
  linkSecret: Buffer;
  presignMaxSeconds: number;
  deleteConcurrency: number;
  clock?: Clock;
}

/** S3's version id for an object in an unversioned bucket: this store keeps one version only. */
const ONLY_VERSION = 'null';

const infoOf = (meta: ObjectMeta): ObjectInfo => ({
  size: meta.size,
  contentType: meta.contentType,
  etag: meta.etag,
  lastModified: new Date(meta.lastModified),
});

/**
 * The embedded default: files on local disk, so `npm start` needs no other service. Pre-signed
 * URLs are HMAC-signed links the app answers through `links`. Multipart uploads are emulated with
 * part files. One version per key; no object lock (FILE.UNSUPPORTED).
 */
const openForReading = promisify(open) as (path: string) => Promise<number>;
/** Bytes per read (and per socket write) of a download: Node's default is 64 KiB. */
const READ_CHUNK = 256 * 1024;

export class LocalDiskFileStore implements LinkBackedStore {
  readonly links: FileLinks;
  private readonly layout: DiskLayout;
  private readonly multipart: DiskMultipart;
  private readonly signer: LinkSigner;
  private readonly clock: Clock;

  constructor(private readonly settings: LocalDiskFileStoreSettings) {
    this.clock = settings.clock ?? { now: () => new Date() };
    this.layout = new DiskLayout(settings.root);
    this.multipart = new DiskMultipart(this.layout);
    this.signer = new LinkSigner({
      secret: settings.linkSecret,
      baseUrl: settings.linkBaseUrl,
      presignMaxSeconds: settings.presignMaxSeconds,
      clock: this.clock,
    });
    this.links = new SignedFileLinks(this, settings.linkSecret, this.clock);
  }

  async put(key: FileKey, input: PutInput): Promise<StoredObject> {
    const written = await this.layout.writeStream(input.body);
    return this.commit(key, {
      blob: written.blob,
      size: written.size,
      contentType: input.contentType,
      etag: written.md5,
      lastModified: this.clock.now().toISOString(),
    });
  }

  async get(key: FileKey, options: { range?: ByteRange; versionId?: string } = {}): Promise<ObjectContent> {
    // A put may replace the blob between reading the metadata and opening it; then read again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const meta = await this.current(key, options.versionId);
      const slice = options.range ? resolveRange(options.range, meta.size) : undefined;
      try {
        // Opened first, so the stream reads the blob the metadata named even if a put replaces it
        // now. A classic fd stream, not FileHandle.createReadStream: that one reads through a promise
        // per chunk, which cost a 1 MiB download about as much CPU again as the bytes themselves.
        const fd = await openForReading(this.layout.blobPath(meta.blob));
        const range = slice ? { start: slice.start, end: slice.end } : {};
        const body = createReadStream('', { fd, ...range, highWaterMark: READ_CHUNK });
        const contentLength = slice ? slice.end - slice.start + 1 : meta.size;
        return { ...infoOf(meta), body, contentLength, contentRange: slice && { ...slice, size: meta.size } };
      } catch (error) {
        if (!isMissing(error)) throw diskError(error);
      }
    }
    throw fileNotFound();
  }

  async head(key: FileKey, options: { versionId?: string } = {}): Promise<ObjectInfo> {
    return infoOf(await this.current(key, options.versionId));
  }

  async delete(key: FileKey): Promise<void> {
    const meta = await this.layout.readMeta(key);
    await this.layout.removeMeta(key);
    if (meta) await rm(this.layout.blobPath(meta.blob), { force: true });
  }

  deleteMany(keys: FileKey[]): Promise<void> {
    return deleteAll(this, keys, this.settings.deleteConcurrency);
  }

  async presignGet(
    key: FileKey,
    options: { expiresInSeconds: number; versionId?: string; contentDisposition?: string },
  ) {
    return this.signer.get(key, options);
  }

  async presignPut(key: FileKey, options: { contentType: string; contentLength: number; expiresInSeconds: number }) {
    return this.signer.put(key, options);
  }

  createMultipart(key: FileKey, options: { contentType: string }): Promise<string> {
    return this.multipart.create(key, options.contentType);
  }

  async presignPart(
    key: FileKey,
    uploadId: string,
    partNumber: number,
    options: { expiresInSeconds: number; contentLength: number },
  ) {
    return this.signer.part(key, uploadId, partNumber, options);
  }

  async uploadPart(key: FileKey, uploadId: string, partNumber: number, body: Readable): Promise<{ etag: string }> {
    await this.multipart.open(key, uploadId);
    return { etag: await this.multipart.writePart(uploadId, partNumber, body) };
  }

  async listParts(key: FileKey, uploadId: string): Promise<UploadedPart[]> {
    await this.multipart.open(key, uploadId);
    return this.multipart.list(uploadId);
  }

  async completeMultipart(key: FileKey, uploadId: string, parts: PartRef[]): Promise<StoredObject> {
    const { contentType } = await this.multipart.open(key, uploadId);
    const chosen = checkCompletion(parts, await this.multipart.list(uploadId));
    const written = await this.multipart.assemble(uploadId, chosen);
    const etag = multipartEtag(chosen.map((p) => p.etag));
    const stored = await this.commit(key, {
      blob: written.blob,
      size: written.size,
      contentType,
      etag,
      lastModified: this.clock.now().toISOString(),
    });
    await this.multipart.remove(uploadId);
    return stored;
  }

  async abortMultipart(key: FileKey, uploadId: string): Promise<void> {
    try {
      await this.multipart.open(key, uploadId);
    } catch (error) {
      // Unknown, finished, or another key's upload: nothing of this key's to remove.
      if (error instanceof DomainError && error.code === 'FILE.NOT_FOUND') return;
      throw error;
    }
    await this.multipart.remove(uploadId);
  }

  async listVersions(key: FileKey): Promise<ObjectVersion[]> {
    const meta = await this.layout.readMeta(key);
    if (!meta) return [];
    return [
      {
        versionId: ONLY_VERSION,
        size: meta.size,
        etag: meta.etag,
        lastModified: new Date(meta.lastModified),
        isLatest: true,
      },
    ];
  }

  async restoreVersion(key: FileKey, versionId: string): Promise<StoredObject> {
    const { etag } = await this.head(key, { versionId });
    return { etag };
  }

  async setLegalHold(): Promise<void> {
    throw fileFeatureUnsupported('legal holds (object lock)');
  }

  async setRetention(): Promise<void> {
    throw fileFeatureUnsupported('retention (object lock)');
  }

  private async current(key: FileKey, versionId?: string): Promise<ObjectMeta> {
    const meta = await this.layout.readMeta(key);
    if (!meta || (versionId !== undefined && versionId !== ONLY_VERSION)) throw fileNotFound();
    return meta;
  }

  /** Publishes the new metadata (the atomic step), then drops the blob it replaced. */
  private async commit(key: FileKey, meta: ObjectMeta): Promise<StoredObject> {
    const previous = await this.layout.readMeta(key);
    await this.layout.writeMeta(key, meta);
    if (previous && previous.blob !== meta.blob) await rm(this.layout.blobPath(previous.blob), { force: true });
    return { etag: meta.etag };
  }
}
