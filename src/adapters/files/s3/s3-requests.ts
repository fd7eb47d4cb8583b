import type { ServerSideEncryption } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import type { FileKey } from '../../../domain/file/file-key.js';

export interface SseSettings {
  mode: 'AES256' | 'aws:kms';
  /** Only with `aws:kms`; without it S3 uses the account's `aws/s3` key. */
  kmsKeyId?: string;
}

/** The encryption parameters sent with every PutObject, CreateMultipartUpload and CopyObject. */
export function sseParams(sse?: SseSettings): { ServerSideEncryption?: ServerSideEncryption; SSEKMSKeyId?: string } {
  if (!sse) return {};
  return {
    ServerSideEncryption: sse.mode,
    ...(sse.mode === 'aws:kms' && sse.kmsKeyId ? { SSEKMSKeyId: sse.kmsKeyId } : {}),
  };
}

/** The same, as the headers a pre-signed PUT signs and the client must therefore send. */
export function sseHeaders(sse?: SseSettings): Record<string, string> {
  const params = sseParams(sse);
  return {
    ...(params.ServerSideEncryption ? { 'x-amz-server-side-encryption': params.ServerSideEncryption } : {}),
    ...(params.SSEKMSKeyId ? { 'x-amz-server-side-encryption-aws-kms-key-id': params.SSEKMSKeyId } : {}),
  };
}

/**
 * Content-MD5 for a body held in memory, when asked for: a bucket with a default retention refuses
 * PutObject and UploadPart without it (or a checksum header). Off, nothing is hashed. MD5 rather
 * than a flexible checksum: S3 ties a CRC32 on parts to an upload created with that algorithm, and
 * completion must then list each part's value.
 */
export function bodyChecksum(body: Buffer, checksums: boolean | undefined): { ContentMD5?: string } {
  return checksums ? { ContentMD5: createHash('md5').update(body).digest('base64') } : {};
}

export const isAccessPointArn = (bucket: string) => bucket.startsWith('arn:');

/** CopyObject's source: `bucket/key` or, through an access point, `arn/object/key`; URL-encoded, with the version. */
export function copySource(bucket: string, key: FileKey, versionId: string): string {
  const encodedKey = key.value.split('/').map(encodeURIComponent).join('/');
  const object = isAccessPointArn(bucket) ? `${bucket}/object/${encodedKey}` : `${bucket}/${encodedKey}`;
  return `${object}?versionId=${encodeURIComponent(versionId)}`;
}

/** `bytes 0-9/100` into offsets and the whole size. */
export function parseContentRange(
  header: string | undefined,
): { start: number; end: number; size: number } | undefined {
  const match = header ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header) : null;
  return match ? { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) } : undefined;
}
