import { PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { StoredObject } from '../../../domain/ports/file-store.js';
import { unquote } from '../store-rules.js';

/**
 * One streamed PutObject, nothing buffered. The SDK pipes the body without watching it for
 * errors, so a failing body (too large, client gone) would leave the request hanging: abort it
 * and surface the body's error instead. S3 never keeps an object from an unfinished request.
 *
 * With `checksum`, the SDK sends the body `aws-chunked` with its CRC32 in a trailer: a bucket with a
 * default retention refuses a PutObject without a checksum, and an MD5 up front would mean buffering.
 * Only then, since some S3-compatible servers store `aws-chunked` bodies as they are (s3-client.ts).
 */
export async function putStreaming(
  client: S3Client,
  params: PutObjectCommandInput & { Body: Readable; ContentLength: number },
  options: { checksum?: boolean } = {},
): Promise<StoredObject> {
  const controller = new AbortController();
  let bodyError: unknown;
  const onError = (error: unknown) => {
    bodyError = error;
    controller.abort();
  };
  params.Body.once('error', onError);
  try {
    const command = new PutObjectCommand(options.checksum ? { ...params, ChecksumAlgorithm: 'CRC32' } : params);
    const out = await client.send(command, { abortSignal: controller.signal });
    return { etag: unquote(out.ETag ?? ''), versionId: out.VersionId };
  } catch (error) {
    throw bodyError ?? error;
  } finally {
    params.Body.off('error', onError);
  }
}
