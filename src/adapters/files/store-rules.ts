import { createHash } from 'node:crypto';
import { invalid } from '../../domain/errors.js';
import { rangeNotSatisfiable, uploadIncomplete } from '../../domain/file/file-errors.js';
import { MAX_PARTS, MIN_PART_BYTES } from '../../domain/file/part-plan.js';
import type { ByteRange, PartRef, UploadedPart } from '../../domain/ports/file-store.js';

/** S3's own ceiling for a pre-signed URL (SigV4), whatever the configured maximum says. */
const SIGV4_MAX_SECONDS = 604_800;

export const clampLifetime = (requestedSeconds: number, maxSeconds: number): number =>
  Math.max(1, Math.min(Math.floor(requestedSeconds), maxSeconds, SIGV4_MAX_SECONDS));

export const unquote = (etag: string): string => etag.replace(/"/g, '');

export const md5Hex = (bytes: Buffer): string => createHash('md5').update(bytes).digest('hex');

/** S3's ETag for a multipart object: MD5 of the parts' binary MD5s, then `-` and the part count. */
export const multipartEtag = (partEtags: string[]): string =>
  `${md5Hex(Buffer.concat(partEtags.map((e) => Buffer.from(unquote(e), 'hex'))))}-${partEtags.length}`;

export function assertPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
    throw invalid(`A part number is a whole number from 1 to ${MAX_PARTS}.`);
  }
}

/** The inclusive offsets a range covers in an object of `size` bytes, as S3 answers it. */
export function resolveRange(range: ByteRange, size: number): { start: number; end: number } {
  if (range.start >= size || (range.end !== undefined && range.end < range.start)) throw rangeNotSatisfiable();
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}

/**
 * The checks S3 makes on CompleteMultipartUpload, for the stores that emulate it: parts in
 * ascending order, each one received with that ETag, and every part but the last at least 5 MiB.
 */
export function checkCompletion(requested: PartRef[], received: UploadedPart[]): UploadedPart[] {
  if (requested.length === 0) throw uploadIncomplete('A multipart upload needs at least one part.');
  const byNumber = new Map(received.map((p) => [p.partNumber, p]));
  return requested.map((ref, index) => {
    const part = byNumber.get(ref.partNumber);
    if (index > 0 && ref.partNumber <= (requested[index - 1]?.partNumber ?? 0)) {
      throw uploadIncomplete('Parts must be listed in ascending order, each once.');
    }
    if (!part || part.etag !== unquote(ref.etag))
      throw uploadIncomplete(`Part ${ref.partNumber} was not received with that ETag.`);
    if (index < requested.length - 1 && part.size < MIN_PART_BYTES) {
      throw uploadIncomplete(`Part ${ref.partNumber} is smaller than 5 MiB and is not the last part.`);
    }
    return part;
  });
}
