import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { fileTooLarge, uploadIncomplete } from './file-errors.js';

export interface MeterLimits {
  /** More bytes than this fails the stream with FILE.TOO_LARGE. */
  maxBytes: number;
  /** When set, ending with a different count fails the stream with FILE.UPLOAD_INCOMPLETE. */
  exactBytes?: number;
}

/**
 * A pass-through that counts bytes and computes SHA-256 while they flow to a store. Use cases
 * own the checksum rather than each adapter: S3's own checksum of a multipart object is a
 * checksum of part checksums, not of the file. Failing the stream makes the store discard the
 * upload, so an oversized body leaves nothing behind.
 */
export class ContentMeter extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;

  constructor(private readonly limits: MeterLimits) {
    super();
  }

  get bytes(): number {
    return this.count;
  }

  /** Hex SHA-256 of everything that passed; call once the stream has finished. */
  sha256(): string {
    return this.hash.copy().digest('hex');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.count += chunk.length;
    const allowed = Math.min(this.limits.maxBytes, this.limits.exactBytes ?? Infinity);
    if (this.count > allowed) {
      done(this.count > this.limits.maxBytes ? fileTooLarge(this.limits.maxBytes) : this.mismatch());
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    const { exactBytes } = this.limits;
    done(exactBytes !== undefined && this.count !== exactBytes ? this.mismatch() : null);
  }

  private mismatch() {
    return uploadIncomplete(`Expected exactly ${this.limits.exactBytes} bytes.`);
  }
}
