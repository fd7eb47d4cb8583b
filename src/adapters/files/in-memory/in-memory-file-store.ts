import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { fileNotFound } from '../../../domain/file/file-errors.js';
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
  Retention,
  StoredObject,
  UploadedPart,
} from '../../../domain/ports/file-store.js';
import { deleteAll } from '../delete-all.js';
import { LinkSigner } from '../signed-links/link-signer.js';
import { SignedFileLinks, type LinkBackedStore } from '../signed-links/signed-file-links.js';
import { assertPartNumber, checkCompletion, md5Hex, multipartEtag, resolveRange } from '../store-rules.js';

interface Version extends ObjectInfo {
  versionId: string;
  bytes: Buffer;
}

export interface InMemoryFileStoreSettings {
  linkBaseUrl?: string;
  linkSecret?: Buffer;
  presignMaxSeconds?: number;
  deleteConcurrency?: number;
  clock?: Clock;
}

const readAll = async (body: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
};

/** A versioned bucket in a Map, for unit tests. Deleting leaves history, as an S3 delete marker does. */
export class InMemoryFileStore implements LinkBackedStore {
  readonly links: FileLinks;
  private readonly objects = new Map<string, { versions: Version[]; deleted: boolean }>();
  private readonly uploads = new Map<string, { key: string; contentType: string; parts: Map<number, Buffer> }>();
  private readonly signer: LinkSigner;
  private readonly clock: Clock;

  constructor(private readonly settings: InMemoryFileStoreSettings = {}) {
    this.clock = settings.clock ?? { now: () => new Date() };
    const secret = settings.linkSecret ?? randomBytes(32);
    const baseUrl = settings.linkBaseUrl ?? 'http://memory.invalid/v1/files/_local';
    this.signer = new LinkSigner({
      secret,
      baseUrl,
      presignMaxSeconds: settings.presignMaxSeconds ?? 900,
      clock: this.clock,
    });
    this.links = new SignedFileLinks(this, secret, this.clock);
  }

  async put(key: FileKey, input: PutInput): Promise<StoredObject> {
    return this.store(key, await readAll(input.body), input.contentType, md5Hex);
  }

  async get(key: FileKey, options: { range?: ByteRange; versionId?: string } = {}): Promise<ObjectContent> {
    const { bytes, ...info } = this.find(key, options.versionId);
    const slice = options.range ? resolveRange(options.range, bytes.length) : undefined;
    const body = slice ? bytes.subarray(slice.start, slice.end + 1) : bytes;
    return {
      ...info,
      body: Readable.from([body]),
      contentLength: body.length,
      contentRange: slice && { ...slice, size: bytes.length },
    };
  }

  async head(key: FileKey, options: { versionId?: string } = {}): Promise<ObjectInfo> {
    const { bytes: _bytes, ...info } = this.find(key, options.versionId);
    return info;
  }

  async delete(key: FileKey): Promise<void> {
    const entry = this.objects.get(key.value);
    if (entry) entry.deleted = true;
  }

  deleteMany(keys: FileKey[]): Promise<void> {
    return deleteAll(this, keys, this.settings.deleteConcurrency ?? 8);
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

  async createMultipart(key: FileKey, options: { contentType: string }): Promise<string> {
    const uploadId = randomUUID();
    this.uploads.set(uploadId, { key: key.value, contentType: options.contentType, parts: new Map() });
    return uploadId;
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
    assertPartNumber(partNumber);
    const upload = this.upload(key, uploadId);
    const bytes = await readAll(body);
    upload.parts.set(partNumber, bytes);
    return { etag: md5Hex(bytes) };
  }

  async listParts(key: FileKey, uploadId: string): Promise<UploadedPart[]> {
    return [...this.upload(key, uploadId).parts]
      .sort(([a], [b]) => a - b)
      .map(([partNumber, bytes]) => ({ partNumber, etag: md5Hex(bytes), size: bytes.length }));
  }

  async completeMultipart(key: FileKey, uploadId: string, parts: PartRef[]): Promise<StoredObject> {
    const upload = this.upload(key, uploadId);
    const chosen = checkCompletion(parts, await this.listParts(key, uploadId));
    const bytes = Buffer.concat(chosen.map((p) => upload.parts.get(p.partNumber) ?? Buffer.alloc(0)));
    this.uploads.delete(uploadId);
    return this.store(key, bytes, upload.contentType, () => multipartEtag(chosen.map((p) => p.etag)));
  }

  async abortMultipart(key: FileKey, uploadId: string): Promise<void> {
    if (this.uploads.get(uploadId)?.key === key.value) this.uploads.delete(uploadId);
  }

  async listVersions(key: FileKey): Promise<ObjectVersion[]> {
    const entry = this.objects.get(key.value);
    if (!entry) return [];
    const newest = entry.versions.length - 1;
    return entry.versions
      .map(({ versionId, size, etag, lastModified }, i) => ({
        versionId,
        size,
        etag,
        lastModified,
        isLatest: i === newest && !entry.deleted,
      }))
      .reverse();
  }

  async restoreVersion(key: FileKey, versionId: string): Promise<StoredObject> {
    const { bytes, contentType, etag } = this.find(key, versionId);
    return this.store(key, bytes, contentType, () => etag);
  }

  async setLegalHold(key: FileKey, enabled: boolean, versionId?: string): Promise<void> {
    this.find(key, versionId).legalHold = enabled;
  }

  async setRetention(key: FileKey, retention: Retention, versionId?: string): Promise<void> {
    this.find(key, versionId).retention = { ...retention };
  }

  private store(key: FileKey, bytes: Buffer, contentType: string, etagOf: (bytes: Buffer) => string): StoredObject {
    const version: Version = {
      versionId: randomUUID(),
      bytes,
      size: bytes.length,
      contentType,
      etag: etagOf(bytes),
      lastModified: this.clock.now(),
    };
    const entry = this.objects.get(key.value) ?? { versions: [], deleted: false };
    entry.versions.push(version);
    entry.deleted = false;
    this.objects.set(key.value, entry);
    return { etag: version.etag, versionId: version.versionId };
  }

  private find(key: FileKey, versionId?: string): Version {
    const entry = this.objects.get(key.value);
    const found =
      versionId === undefined
        ? entry?.deleted
          ? undefined
          : entry?.versions.at(-1)
        : entry?.versions.find((v) => v.versionId === versionId);
    if (!found) throw fileNotFound();
    return found;
  }

  private upload(key: FileKey, uploadId: string) {
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.key !== key.value) throw fileNotFound();
    return upload;
  }
}
