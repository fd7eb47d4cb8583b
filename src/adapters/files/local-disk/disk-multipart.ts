import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileNotFound } from '../../../domain/file/file-errors.js';
import { FileKey } from '../../../domain/file/file-key.js';
import type { OpenUpload, UploadedPart, UploadLeftovers } from '../../../domain/ports/file-store.js';
import { assertPartNumber } from '../store-rules.js';
import { diskError, isMissing, type DiskLayout, type WrittenBlob } from './disk-layout.js';

const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// A part's file name carries its number and MD5, so one rename records both atomically.
const PART_FILE = /^part-(\d{5})-([0-9a-f]{32})$/;

async function* concatenate(files: string[]): AsyncGenerator<Buffer> {
  for (const file of files) for await (const chunk of createReadStream(file)) yield chunk as Buffer;
}

/**
 * Multipart uploads emulated on disk: `uploads/{uploadId}/upload.json` plus one file per part. The
 * directories stay until completed or aborted, so it also lists and discards the abandoned ones.
 */
export class DiskMultipart implements UploadLeftovers {
  constructor(private readonly layout: DiskLayout) {}

  async create(key: FileKey, contentType: string): Promise<string> {
    const uploadId = randomUUID();
    await mkdir(this.layout.uploadDir(uploadId), { recursive: true });
    await writeFile(
      path.join(this.layout.uploadDir(uploadId), 'upload.json'),
      JSON.stringify({ key: key.value, contentType }),
    );
    return uploadId;
  }

  /** The upload's content type; FILE.NOT_FOUND for an unknown id or one that belongs to another key. */
  async open(key: FileKey, uploadId: string): Promise<{ contentType: string }> {
    if (!UPLOAD_ID.test(uploadId)) throw fileNotFound();
    try {
      const upload = JSON.parse(await readFile(path.join(this.layout.uploadDir(uploadId), 'upload.json'), 'utf8')) as {
        key: string;
        contentType: string;
      };
      if (upload.key !== key.value) throw fileNotFound();
      return upload;
    } catch (error) {
      throw isMissing(error) ? fileNotFound() : diskError(error);
    }
  }

  async writePart(uploadId: string, partNumber: number, body: Readable): Promise<string> {
    assertPartNumber(partNumber);
    const dir = this.layout.uploadDir(uploadId);
    const prefix = `part-${String(partNumber).padStart(5, '0')}-`;
    const { md5 } = await this.layout.writeStream(body, (w) => path.join(dir, prefix + w.md5));
    // Completed or aborted while the part arrived: moving it into place made the directory again.
    if (!(await this.exists(uploadId))) {
      await this.remove(uploadId);
      throw fileNotFound();
    }
    // A part sent again replaces the earlier one, as in S3.
    const earlier = (await readdir(dir)).filter((f) => f.startsWith(prefix) && f !== prefix + md5);
    await Promise.all(earlier.map((f) => rm(path.join(dir, f), { force: true })));
    return md5;
  }

  async list(uploadId: string): Promise<UploadedPart[]> {
    const dir = this.layout.uploadDir(uploadId);
    const parts = (await readdir(dir)).flatMap((name) => {
      const match = PART_FILE.exec(name);
      return match?.[1] && match[2] ? [{ name, partNumber: Number(match[1]), etag: match[2] }] : [];
    });
    const sized = await Promise.all(
      parts.map(async (p) => ({
        partNumber: p.partNumber,
        etag: p.etag,
        size: (await stat(path.join(dir, p.name))).size,
      })),
    );
    return sized.sort((a, b) => a.partNumber - b.partNumber);
  }

  /** Joins the chosen parts, in order, into a new blob. */
  async assemble(uploadId: string, parts: UploadedPart[]): Promise<WrittenBlob> {
    const dir = this.layout.uploadDir(uploadId);
    const files = parts.map((p) => path.join(dir, `part-${String(p.partNumber).padStart(5, '0')}-${p.etag}`));
    return this.layout.writeStream(Readable.from(concatenate(files)));
  }

  async remove(uploadId: string): Promise<void> {
    if (UPLOAD_ID.test(uploadId)) await rm(this.layout.uploadDir(uploadId), { recursive: true, force: true });
  }

  /** Upload directories whose last change (a part arriving) is before `before`, oldest first. */
  async idleSince(before: Date, limit: number): Promise<OpenUpload[]> {
    const ids = (await this.uploadIds()).filter((id) => UPLOAD_ID.test(id));
    const seen = await Promise.all(
      ids.map(async (uploadId) => ({ uploadId, lastActivity: await this.lastActivity(uploadId) })),
    );
    const idle = seen.filter((u): u is OpenUpload => u.lastActivity !== undefined && u.lastActivity < before);
    const oldest = idle.sort((a, b) => a.lastActivity.getTime() - b.lastActivity.getTime()).slice(0, limit);
    return Promise.all(oldest.map(async (upload) => ({ ...upload, key: await this.keyOf(upload.uploadId) })));
  }

  discard(upload: OpenUpload): Promise<void> {
    return this.remove(upload.uploadId);
  }

  private async uploadIds(): Promise<string[]> {
    try {
      return await readdir(path.join(this.layout.root, 'uploads'));
    } catch (error) {
      if (isMissing(error)) return [];
      throw diskError(error);
    }
  }

  private async lastActivity(uploadId: string): Promise<Date | undefined> {
    const dir = this.layout.uploadDir(uploadId);
    const names = await readdir(dir).catch(() => []);
    const times = await Promise.all(
      [dir, ...names.map((n) => path.join(dir, n))].map((p) =>
        stat(p).then(
          (s) => s.mtimeMs,
          () => 0,
        ),
      ),
    );
    const latest = Math.max(...times);
    return latest > 0 ? new Date(latest) : undefined;
  }

  private async keyOf(uploadId: string): Promise<FileKey | undefined> {
    try {
      const upload = JSON.parse(await readFile(path.join(this.layout.uploadDir(uploadId), 'upload.json'), 'utf8')) as {
        key: string;
      };
      return FileKey.parse(upload.key);
    } catch {
      return undefined;
    }
  }

  private async exists(uploadId: string): Promise<boolean> {
    return stat(path.join(this.layout.uploadDir(uploadId), 'upload.json')).then(
      () => true,
      () => false,
    );
  }
}
