import { PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import { planParts } from '../../../domain/file/part-plan.js';
import type { StoredObject } from '../../../domain/ports/file-store.js';
import { unquote } from '../store-rules.js';

export interface PartedUploadSettings {
  partBytes: number;
  /** Parts in flight at once; memory held is about queueSize x partBytes. */
  queueSize: number;
}

/**
 * Streams a body of unknown or large size as a parallel multipart upload (lib-storage): each
 * part is buffered, so the client's retry strategy resends only a part that failed; any failure,
 * including the body's own, aborts the upload so no parts are left behind.
 */
export async function uploadInParts(client: S3Client, params: PutObjectCommandInput & { Body: Readable }, settings: PartedUploadSettings): Promise<StoredObject> {
  const length = params.ContentLength;
  const partSize = length ? planParts(length, settings.partBytes).partSize : settings.partBytes;
  const upload = new Upload({ client, params, partSize, queueSize: settings.queueSize, leavePartsOnError: false });
  const result = await upload.done();
  return { etag: unquote(result.ETag ?? ''), versionId: result.VersionId };
}

/**
 * One streamed PutObject, nothing buffered. The SDK pipes the body without watching it for
 * errors, so a failing body (too large, client gone) would leave the request hanging: abort it
 * and surface the body's error instead. S3 never keeps an object from an unfinished request.
 */
export async function putStreaming(client: S3Client, params: PutObjectCommandInput & { Body: Readable; ContentLength: number }): Promise<StoredObject> {
  const controller = new AbortController();
  let bodyError: unknown;
  const onError = (error: unknown) => {
    bodyError = error;
    controller.abort();
  };
  params.Body.once('error', onError);
  try {
    const out = await client.send(new PutObjectCommand(params), { abortSignal: controller.signal });
    return { etag: unquote(out.ETag ?? ''), versionId: out.VersionId };
  } catch (error) {
    throw bodyError ?? error;
  } finally {
    params.Body.off('error', onError);
  }
}
