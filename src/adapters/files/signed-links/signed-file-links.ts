import type { Readable } from 'node:stream';
import { meterBody } from '../../../application/files/metered-body.js';
import { DomainError } from '../../../domain/errors.js';
import type { ContentMeter } from '../../../domain/file/content-meter.js';
import { FileKey } from '../../../domain/file/file-key.js';
import { fileLinkInvalid } from '../../../domain/file/file-errors.js';
import type { Clock } from '../../../domain/ports/clock.js';
import type { FileCatalog } from '../../../domain/ports/file-catalog.js';
import type { FileLinkAnswer, FileLinkRequest, FileLinks, FileStore } from '../../../domain/ports/file-store.js';
import { verifyLocalLink, type LinkClaims } from './signed-link.js';

/** A store whose links the app answers: a FileStore that can also take one part of a multipart upload. */
export interface LinkBackedStore extends FileStore {
  uploadPart(key: FileKey, uploadId: string, partNumber: number, body: Readable): Promise<{ etag: string }>;
}

type PutClaims = Extract<LinkClaims, { op: 'put' }>;
type PartClaims = Extract<LinkClaims, { op: 'part' }>;
type PutRequest = Extract<FileLinkRequest, { method: 'PUT' }>;

const isNotFound = (error: unknown) => error instanceof DomainError && error.code === 'FILE.NOT_FOUND';

/**
 * Answers `/v1/files/_local/{token}` for the local-disk and in-memory stores. A body is held to the
 * signed length: one that declares another is refused before it is read, a chunked one is cut off
 * past it. With a `catalog` (as the app wires it), a write link works only while its file is pending
 * on that very upload: an aborted, completed or deleted upload's links are refused, and write
 * nothing. Without one, a link is checked against the store alone, as S3 checks its own.
 */
export class SignedFileLinks implements FileLinks {
  constructor(
    private readonly store: LinkBackedStore,
    private readonly secret: Buffer,
    private readonly clock: Clock,
    private readonly catalog?: FileCatalog,
  ) {}

  async serve(token: string, request: FileLinkRequest): Promise<FileLinkAnswer> {
    const claims = verifyLocalLink(this.secret, token, this.clock.now());
    const key = FileKey.parse(claims.key);
    if (claims.op === 'get') {
      if (request.method !== 'GET' && request.method !== 'HEAD') throw fileLinkInvalid();
      const content = await this.store.get(key, { range: request.range, versionId: claims.versionId });
      return { kind: 'content', content, contentDisposition: claims.disposition };
    }
    if (request.method !== 'PUT') throw fileLinkInvalid();
    if (claims.op === 'put') return this.putObject(key, claims, request);
    return this.putPart(key, claims, request);
  }

  private async putObject(key: FileKey, claims: PutClaims, request: PutRequest): Promise<FileLinkAnswer> {
    const { contentType, contentLength } = claims;
    if (request.contentType !== contentType || request.contentLength !== contentLength) throw fileLinkInvalid();
    // Metered before anything is awaited, so a client that hangs up meanwhile is seen.
    const meter = meterBody(request.body, { maxBytes: contentLength, exactBytes: contentLength });
    if (!(await this.awaits(key, undefined))) throw fileLinkInvalid();
    const stored = await this.metered(meter, () => this.store.put(key, { body: meter, contentType, contentLength }));
    // An abort or delete that ran while the body arrived found no object to remove; this one would have no row.
    if (this.catalog && !(await this.catalog.findById(key.fileId))) {
      await this.store.delete(key);
      throw fileLinkInvalid();
    }
    return { kind: 'stored', etag: stored.etag };
  }

  private async putPart(key: FileKey, claims: PartClaims, request: PutRequest): Promise<FileLinkAnswer> {
    // A link signed before parts carried their size has none to hold the body to: it is refused.
    if (typeof claims.size !== 'number') throw fileLinkInvalid();
    if (request.contentLength !== undefined && request.contentLength !== claims.size) throw fileLinkInvalid();
    const meter = meterBody(request.body, { maxBytes: claims.size, exactBytes: claims.size });
    if (!(await this.awaits(key, claims.uploadId))) throw fileLinkInvalid();
    try {
      const part = await this.metered(meter, () =>
        this.store.uploadPart(key, claims.uploadId, claims.partNumber, meter),
      );
      return { kind: 'stored', etag: part.etag };
    } catch (error) {
      // The store no longer has the upload: completed or aborted, maybe while the part arrived.
      throw isNotFound(error) ? fileLinkInvalid() : error;
    }
  }

  /** Whether the key's file is pending on this upload (a single PUT has none); always, without a catalog. */
  private async awaits(key: FileKey, uploadId: string | undefined): Promise<boolean> {
    if (!this.catalog) return true;
    const file = await this.catalog.findById(key.fileId);
    return file !== null && file.ownerId === key.ownerId && file.status === 'pending' && file.uploadId === uploadId;
  }

  /** The meter's own failure (too large, cut short) is the cause, whatever the store made of it. */
  private async metered<T>(meter: ContentMeter, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      throw meter.errored ?? error;
    }
  }
}
