import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { planParts } from '../../../domain/file/part-plan.js';
import type { StoredObject } from '../../../domain/ports/file-store.js';
import { unquote } from '../store-rules.js';
import { bodyChecksum } from './s3-requests.js';

export interface PartedUploadSettings {
  partBytes: number;
  /** Parts in flight at once. */
  queueSize: number;
  /** Content-MD5 on every part and single PutObject (a bucket with a default retention requires it). */
  checksums?: boolean;
}

/**
 * A fixed set of part-sized buffers, allocated on first use and handed out again when their part
 * is sent: an upload of any size holds at most `count` x `size` bytes and makes no garbage of its own.
 */
export class PartBuffers {
  private readonly free: Buffer[] = [];
  private allocated = 0;

  constructor(
    private readonly count: number,
    private readonly size: number,
  ) {}

  /** A buffer, or undefined when all of them are out. */
  take(): Buffer | undefined {
    if (this.free.length > 0) return this.free.pop();
    if (this.allocated >= this.count) return undefined;
    this.allocated += 1;
    // Outside Node's shared 8 KiB pool: these are big and live as long as the upload.
    return Buffer.allocUnsafeSlow(this.size);
  }

  give(buffer: Buffer): void {
    this.free.push(buffer);
  }

  get allocatedCount(): number {
    return this.allocated;
  }
}

type Params = PutObjectCommandInput & { Bucket: string; Key: string; Body: Readable };

/**
 * Streams a body of unknown or large size as a parallel multipart upload. Each part is copied
 * into one of `queueSize + 1` reused buffers, so the client's retry strategy resends only a part
 * that failed, memory stays at (queueSize + 1) x partBytes whatever the file's size, and reading
 * pauses while every buffer is in flight. Any failure, the body's own included, stops the other
 * parts and aborts the upload, so no parts are left behind. A body of unknown length that ends
 * within the first part goes as one PutObject.
 *
 * lib-storage's Upload does the same with a fresh concatenated buffer per part; at a gigabyte
 * those dead part buffers outran the garbage collector by ~100 MiB of RSS (docs/performance.md).
 */
export async function uploadInParts(
  client: S3Client,
  params: Params,
  settings: PartedUploadSettings,
): Promise<StoredObject> {
  const { Body: body, ContentLength: length, ...object } = params;
  const partSize = length ? planParts(length, settings.partBytes).partSize : settings.partBytes;
  const upload = new PartedUpload(client, object, partSize, settings);
  try {
    for await (const chunk of body) await upload.write(chunk as Buffer);
    return await upload.finish(length === undefined);
  } catch (error) {
    // The first failure is the cause: stopping the other parts makes them fail too, as aborted.
    const cause = upload.failure ?? error;
    await upload.abort();
    throw cause;
  }
}

type ObjectParams = Omit<Params, 'Body' | 'ContentLength'>;

class PartedUpload {
  private readonly buffers: PartBuffers;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly parts: CompletedPart[] = [];
  private readonly stop = new AbortController();
  private uploadId: Promise<string> | undefined;
  private current: Buffer | undefined;
  private filled = 0;
  private partNumber = 0;
  /** The first part that failed for good; every later step gives up on seeing it. */
  failure: unknown;

  constructor(
    private readonly client: S3Client,
    private readonly object: ObjectParams,
    private readonly partSize: number,
    private readonly settings: PartedUploadSettings,
  ) {
    this.buffers = new PartBuffers(settings.queueSize + 1, partSize);
  }

  async write(chunk: Buffer): Promise<void> {
    this.throwIfFailed();
    let offset = 0;
    while (offset < chunk.length) {
      this.current ??= await this.nextBuffer();
      const copied = chunk.copy(this.current, this.filled, offset);
      this.filled += copied;
      offset += copied;
      if (this.filled === this.partSize) await this.sendCurrent();
    }
  }

  async finish(unknownLength: boolean): Promise<StoredObject> {
    if (unknownLength && this.partNumber === 0) return this.putWhole();
    if (this.filled > 0 || this.partNumber === 0) await this.sendCurrent();
    await this.settle();
    this.throwIfFailed();
    const Parts = [...this.parts].sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    const command = new CompleteMultipartUploadCommand({
      ...this.target(),
      UploadId: await this.started(),
      MultipartUpload: { Parts },
    });
    const out = await this.client.send(command);
    return { etag: unquote(out.ETag ?? ''), versionId: out.VersionId };
  }

  /** Stops the parts still in flight, waits for them, and aborts the upload if one was started. */
  async abort(): Promise<void> {
    this.stop.abort();
    await this.settle();
    const uploadId = await this.uploadId?.catch(() => undefined);
    if (!uploadId) return;
    await this.client
      .send(new AbortMultipartUploadCommand({ ...this.target(), UploadId: uploadId }))
      .catch(() => undefined);
  }

  private target() {
    return { Bucket: this.object.Bucket, Key: this.object.Key };
  }

  private async putWhole(): Promise<StoredObject> {
    const body = this.current ? this.current.subarray(0, this.filled) : Buffer.alloc(0);
    const command = new PutObjectCommand({
      ...this.object,
      Body: body,
      ContentLength: body.length,
      ...bodyChecksum(body, this.settings.checksums),
    });
    const out = await this.client.send(command, { abortSignal: this.stop.signal });
    return { etag: unquote(out.ETag ?? ''), versionId: out.VersionId };
  }

  /**
   * Created with the first part, so the object's type and encryption go with it. Never cut short:
   * a create that reached S3 makes an upload that only an AbortMultipartUpload with its id removes.
   */
  private started(): Promise<string> {
    this.uploadId ??= this.client.send(new CreateMultipartUploadCommand(this.object)).then((out) => {
      if (!out.UploadId) throw new Error('S3 answered CreateMultipartUpload without an upload id');
      return out.UploadId;
    });
    return this.uploadId;
  }

  /** A free buffer; with queueSize parts in flight one is always left to fill meanwhile. */
  private async nextBuffer(): Promise<Buffer> {
    for (;;) {
      this.throwIfFailed();
      const buffer = this.buffers.take();
      if (buffer) return buffer;
      await Promise.race(this.inFlight);
    }
  }

  /** Sends the buffer being filled as the next part, once fewer than queueSize parts are in flight. */
  private async sendCurrent(): Promise<void> {
    while (this.inFlight.size >= this.settings.queueSize) await Promise.race(this.inFlight);
    this.throwIfFailed();
    const buffer = this.current;
    const body = buffer ? buffer.subarray(0, this.filled) : Buffer.alloc(0);
    const PartNumber = (this.partNumber += 1);
    this.current = undefined;
    this.filled = 0;
    const part = { PartNumber, Body: body, ContentLength: body.length, ...bodyChecksum(body, this.settings.checksums) };
    const sent: Promise<void> = this.started()
      .then((UploadId) =>
        this.client.send(new UploadPartCommand({ ...this.target(), UploadId, ...part }), {
          abortSignal: this.stop.signal,
        }),
      )
      .then(
        (out) => {
          this.parts.push({ PartNumber, ETag: out.ETag });
          if (buffer) this.buffers.give(buffer);
        },
        (error: unknown) => {
          this.failure ??= error;
          this.stop.abort();
        },
      )
      .finally(() => this.inFlight.delete(sent));
    this.inFlight.add(sent);
  }

  private async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
