import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileStoreUnavailable } from '../../../domain/file/file-errors.js';
import type { FileKey } from '../../../domain/file/file-key.js';

/** One object: the metadata file is the commit point, and it names the blob holding the bytes. */
export interface ObjectMeta {
  blob: string;
  size: number;
  contentType: string;
  etag: string;
  lastModified: string;
}

export interface WrittenBlob {
  blob: string;
  size: number;
  md5: string;
}

/** Bytes a write to disk may have queued before the body is paused (see writeStream). */
const WRITE_BUFFER = 1024 * 1024;

// The disk being full or failing is the backend being unavailable, not a bug in the caller.
const UNAVAILABLE = new Set(['ENOSPC', 'EIO', 'EMFILE', 'ENFILE', 'EROFS', 'EDQUOT']);
export const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
export const diskError = (error: unknown) =>
  UNAVAILABLE.has((error as NodeJS.ErrnoException | null)?.code ?? '') ? fileStoreUnavailable() : error;

/**
 * Where things live under the root: `objects/files/{owner}/{file}.json` (metadata), `blobs/{id}`
 * (bytes), `tmp/` (writes in progress) and `uploads/{uploadId}/` (multipart parts). Every write
 * goes to `tmp/` and is renamed into place, so a reader never sees half a file.
 */
export class DiskLayout {
  constructor(readonly root: string) {}

  blobPath(blob: string): string {
    return path.join(this.root, 'blobs', blob);
  }

  uploadDir(uploadId: string): string {
    return path.join(this.root, 'uploads', uploadId);
  }

  async readMeta(key: FileKey): Promise<ObjectMeta | null> {
    try {
      return JSON.parse(await readFile(this.metaPath(key), 'utf8')) as ObjectMeta;
    } catch (error) {
      if (isMissing(error)) return null;
      throw diskError(error);
    }
  }

  async writeMeta(key: FileKey, meta: ObjectMeta): Promise<void> {
    const tmp = await this.tmpPath();
    await writeFile(tmp, JSON.stringify(meta));
    await mkdir(path.dirname(this.metaPath(key)), { recursive: true });
    await rename(tmp, this.metaPath(key));
  }

  async removeMeta(key: FileKey): Promise<void> {
    await rm(this.metaPath(key), { force: true });
  }

  /**
   * Streams `body` to a temp file, then moves it to `target` (default: a new blob). Nothing remains
   * on failure. Up to WRITE_BUFFER bytes wait for the disk (written together, one writev), instead of
   * Node's 16 KiB: with a 64 KiB socket read each, that held every read until the one before it was
   * on disk.
   */
  async writeStream(body: Readable, target?: (written: { md5: string }) => string): Promise<WrittenBlob> {
    const tmp = await this.tmpPath();
    const md5 = createHash('md5');
    let size = 0;
    const measure = new Transform({
      highWaterMark: WRITE_BUFFER,
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        md5.update(chunk);
        done(null, chunk);
      },
    });
    const blob = randomUUID();
    try {
      await pipeline(body, measure, createWriteStream(tmp, { flags: 'wx', highWaterMark: WRITE_BUFFER }));
      const digest = md5.digest('hex');
      const destination = target ? target({ md5: digest }) : this.blobPath(blob);
      await mkdir(path.dirname(destination), { recursive: true });
      await rename(tmp, destination);
      return { blob, size, md5: digest };
    } catch (error) {
      await rm(tmp, { force: true });
      throw diskError(error);
    }
  }

  private metaPath(key: FileKey): string {
    return path.join(this.root, 'objects', `${key.value}.json`);
  }

  private async tmpPath(): Promise<string> {
    const dir = path.join(this.root, 'tmp');
    await mkdir(dir, { recursive: true });
    return path.join(dir, randomUUID());
  }
}
