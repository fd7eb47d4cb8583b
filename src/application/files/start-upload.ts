import { fileTooLarge } from '../../domain/file/file-errors.js';
import { plannedPartBytes, planParts } from '../../domain/file/part-plan.js';
import { fileName, mediaType, StoredFile } from '../../domain/file/stored-file.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { FileStore } from '../../domain/ports/file-store.js';
import type { IdGenerator } from '../../domain/ports/id-generator.js';
import type { Actor } from '../../domain/user/user.js';
import type { FileLimits } from './file-limits.js';

export interface StartUploadInput {
  actor: Actor;
  name: string;
  contentType: string;
  size: number;
}

export type UploadPlan =
  | { kind: 'single'; method: 'PUT'; url: string; headers: Record<string, string>; expiresAt: Date }
  | {
      kind: 'multipart';
      uploadId: string;
      partSize: number;
      parts: { partNumber: number; url: string }[];
      expiresAt: Date;
    };

/**
 * A direct upload to the store: one pre-signed PUT bound to the declared type and length, or above
 * the multipart threshold a multipart upload with one pre-signed URL per part. The file stays
 * pending until CompleteUpload has checked what arrived.
 */
export class StartUpload {
  constructor(
    private readonly catalog: FileCatalog,
    private readonly store: FileStore,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly limits: FileLimits,
  ) {}

  async execute(input: StartUploadInput): Promise<{ file: StoredFile; upload: UploadPlan }> {
    const name = fileName(input.name);
    const contentType = mediaType(input.contentType);
    if (input.size > this.limits.maxUploadBytes) throw fileTooLarge(this.limits.maxUploadBytes);
    const now = this.clock.now();
    const file = new StoredFile(this.ids.next(), input.actor.id, name, contentType, input.size, 'pending', now, now);
    if (input.size <= this.limits.multipartThresholdBytes) return { file, upload: await this.single(file) };
    return { file, upload: await this.multipart(file) };
  }

  private async single(file: StoredFile): Promise<UploadPlan> {
    const { contentType, size: contentLength } = file;
    const signed = await this.store.presignPut(file.key(), {
      contentType,
      contentLength,
      expiresInSeconds: this.limits.presignMaxSeconds,
    });
    await this.catalog.create(file);
    return { kind: 'single', method: 'PUT', url: signed.url, headers: signed.headers, expiresAt: signed.expiresAt };
  }

  private async multipart(file: StoredFile): Promise<UploadPlan> {
    const plan = planParts(file.size, this.limits.partBytes);
    const { partSize, partCount } = plan;
    const uploadId = await this.store.createMultipart(file.key(), { contentType: file.contentType });
    file.uploadId = uploadId;
    try {
      await this.catalog.create(file);
    } catch (error) {
      await this.store.abortMultipart(file.key(), uploadId).catch(() => undefined);
      throw error;
    }
    const expiresInSeconds = this.limits.presignMaxSeconds;
    // Each link is bound to its part's planned size: a part can never carry more than the file was allowed.
    const signed = await Promise.all(
      Array.from({ length: partCount }, (_, i) =>
        this.store.presignPart(file.key(), uploadId, i + 1, {
          expiresInSeconds,
          contentLength: plannedPartBytes(file.size, plan, i + 1),
        }),
      ),
    );
    const expiresAt = new Date(Math.min(...signed.map((s) => s.expiresAt.getTime())));
    return {
      kind: 'multipart',
      uploadId,
      partSize,
      parts: signed.map((s, i) => ({ partNumber: i + 1, url: s.url })),
      expiresAt,
    };
  }
}
