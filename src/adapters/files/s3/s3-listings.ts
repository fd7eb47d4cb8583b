import { ListObjectVersionsCommand, ListPartsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectVersion, UploadedPart } from '../../../domain/ports/file-store.js';
import { unquote } from '../store-rules.js';

/** Every part S3 has received for an upload, following its pages. */
export async function listAllParts(
  client: S3Client,
  target: { Bucket: string; Key: string; UploadId: string },
): Promise<UploadedPart[]> {
  const parts: UploadedPart[] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(new ListPartsCommand({ ...target, PartNumberMarker: marker }));
    for (const p of page.Parts ?? [])
      parts.push({ partNumber: p.PartNumber ?? 0, etag: unquote(p.ETag ?? ''), size: p.Size ?? 0 });
    marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
  } while (marker);
  return parts;
}

/** Every version of exactly one key, newest first (S3's order); delete markers are left out. */
export async function listAllVersions(client: S3Client, bucket: string, key: string): Promise<ObjectVersion[]> {
  const versions: ObjectVersion[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    const page = await client.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: key,
        KeyMarker: keyMarker,
        VersionIdMarker: versionIdMarker,
      }),
    );
    for (const v of page.Versions ?? []) {
      if (v.Key !== key || !v.VersionId) continue;
      versions.push({
        versionId: v.VersionId,
        size: v.Size ?? 0,
        etag: unquote(v.ETag ?? ''),
        lastModified: v.LastModified ?? new Date(0),
        isLatest: v.IsLatest ?? false,
      });
    }
    [keyMarker, versionIdMarker] = page.IsTruncated
      ? [page.NextKeyMarker, page.NextVersionIdMarker]
      : [undefined, undefined];
  } while (keyMarker);
  return versions;
}
