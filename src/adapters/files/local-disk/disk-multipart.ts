import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileNotFound } from '../../../domain/file/file-errors.js';
import type { FileKey } from '../../../domain/file/file-key.js';
import type { UploadedPart } from '../../../domain/ports/file-store.js';
import { assertPartNumber } from '../store-rules.js';
import { diskError, isMissing, type DiskLayout, type WrittenBlob } from './disk-layout.js';

const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// A part's file name carries its number and MD5, so one rename records both atomically.
const PART_FILE = /^part-(\d{5})-([0-9a-f]{32})$/;

async function* concatenate(files: string[]): AsyncGenerator<Buffer> {
  for (const file of files) for await (const chunk of createReadStream(file)) yield chunk as Buffer;
}

/** Multipart uploads emulated on disk: `uploads/{uploadId}/upload.json` plus one file per part. */
export class DiskMultipart {
  constructor(private readonly layout: DiskLayout) {}

  async create(key: FileKey, contentType: string): Promise<string> {
    const uploadId = randomUUID();
    await mkdir(this.layout.uploadDir(uploadId), { recursive: true });
    await writeFile(path.join(this.layout.uploadDir(uploadId), 'upload.json'), JSON.stringify({ key: key.value, contentType }));
    return uploadId;
  }

  /** The upload's content type; FILE.NOT_FOUND for an unknown id or one that belongs to another key. */
  async open(key: FileKey, uploadId: string): Promise<{ contentType: string }> {
    if (!UPLOAD_ID.test(uploadId)) throw fileNotFound();
    try {
      const upload = JSON.parse(await readFile(path.join(this.layout.uploadDir(uploadId), 'upload.json'), 'utf8')) as { key: string; contentType: string };
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
    const sized = await Promise.all(parts.map(async (p) => ({ partNumber: p.partNumber, etag: p.etag, size: (await stat(path.join(dir, p.name))).size })));
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
}
