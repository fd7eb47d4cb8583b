import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/**
 * `size` bytes of a repeatable pattern, generated in chunks as they are read, never all in memory.
 * The same seed gives the same bytes, so a test can hash them again without keeping them.
 */
export function patternStream(size: number, seed = 1, chunkBytes = 256 * 1024): Readable {
  return Readable.from(patternChunks(size, seed, chunkBytes), { objectMode: false });
}

export function* patternChunks(size: number, seed = 1, chunkBytes = 256 * 1024): Generator<Buffer> {
  const block = Buffer.alloc(chunkBytes);
  for (let i = 0; i < chunkBytes; i += 4) block.writeUInt32LE(((i / 4) * 2654435761 + seed * 40503) >>> 0, i);
  for (let sent = 0, n = 0; sent < size; n += 1) {
    const length = Math.min(chunkBytes, size - sent);
    // A different first word per chunk, so a misplaced chunk changes the hash.
    const chunk = Buffer.from(block.subarray(0, length));
    if (length >= 4) chunk.writeUInt32LE((n * 2246822519 + seed) >>> 0, 0);
    sent += length;
    yield chunk;
  }
}

export function patternSha256(size: number, seed = 1, chunkBytes = 256 * 1024): string {
  const hash = createHash('sha256');
  for (const chunk of patternChunks(size, seed, chunkBytes)) hash.update(chunk);
  return hash.digest('hex');
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** S3's ETag of a single-part object (hex), or its Content-MD5 (base64). */
export const md5 = (bytes: Buffer, encoding: 'hex' | 'base64' = 'hex') =>
  createHash('md5').update(bytes).digest(encoding);

export async function readAll(body: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export const bytesStream = (bytes: Buffer, chunkBytes = 64 * 1024) =>
  Readable.from(
    Array.from({ length: Math.ceil(bytes.length / chunkBytes) }, (_, i) =>
      bytes.subarray(i * chunkBytes, (i + 1) * chunkBytes),
    ),
  );

/** Bytes `start..end` (inclusive) of what `patternStream(size, seed)` produces. */
export function patternSlice(size: number, start: number, end: number, seed = 1, chunkBytes = 256 * 1024): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (const chunk of patternChunks(size, seed, chunkBytes)) {
    const [from, to] = [Math.max(start, offset), Math.min(end + 1, offset + chunk.length)];
    if (from < to) parts.push(chunk.subarray(from - offset, to - offset));
    offset += chunk.length;
    if (offset > end) break;
  }
  return Buffer.concat(parts);
}
