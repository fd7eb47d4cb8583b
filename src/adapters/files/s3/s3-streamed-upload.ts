import { PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { StoredObject } from '../../../domain/ports/file-store.js';
import { unquote } from '../store-rules.js';

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
