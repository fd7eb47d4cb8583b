import { pipeline, type Readable } from 'node:stream';
import { FileKey } from '../../../domain/file/file-key.js';
import { ContentMeter } from '../../../domain/file/content-meter.js';
import { fileLinkInvalid } from '../../../domain/file/file-errors.js';
import type { Clock } from '../../../domain/ports/clock.js';
import type { FileLinkAnswer, FileLinkRequest, FileLinks, FileStore } from '../../../domain/ports/file-store.js';
import { verifyLocalLink } from './signed-link.js';

/** S3's largest part, the ceiling for a part body sent through a link. */
const MAX_PART_BYTES = 5 * 1024 ** 3;

/** A store whose links the app answers: a FileStore that can also take one part of a multipart upload. */
export interface LinkBackedStore extends FileStore {
  uploadPart(key: FileKey, uploadId: string, partNumber: number, body: Readable): Promise<{ etag: string }>;
}

const metered = (body: Readable, meter: ContentMeter): ContentMeter => {
  // Errors on either side end both; the store sees the meter fail and discards what it wrote.
  pipeline(body, meter, () => undefined);
  return meter;
};

/** Answers `/v1/files/_local/{token}` for the local-disk and in-memory stores. */
export class SignedFileLinks implements FileLinks {
  constructor(
    private readonly store: LinkBackedStore,
    private readonly secret: Buffer,
    private readonly clock: Clock,
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
    if (claims.op === 'put') {
      if (request.contentType !== claims.contentType || request.contentLength !== claims.contentLength) throw fileLinkInvalid();
      const meter = new ContentMeter({ maxBytes: claims.contentLength, exactBytes: claims.contentLength });
      const stored = await this.store.put(key, { body: metered(request.body, meter), contentType: claims.contentType, contentLength: claims.contentLength });
      return { kind: 'stored', etag: stored.etag };
    }
    const meter = new ContentMeter({ maxBytes: MAX_PART_BYTES, exactBytes: request.contentLength });
    const part = await this.store.uploadPart(key, claims.uploadId, claims.partNumber, metered(request.body, meter));
    return { kind: 'stored', etag: part.etag };
  }
}
