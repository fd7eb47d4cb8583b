import type { FileKey } from '../../../domain/file/file-key.js';
import type { Clock } from '../../../domain/ports/clock.js';
import type { PresignedRequest } from '../../../domain/ports/file-store.js';
import { assertPartNumber, clampLifetime } from '../store-rules.js';
import { signLink, type LinkClaims } from './signed-link.js';

export interface LinkSettings {
  /** HMAC key for the links; at least 32 bytes. */
  secret: Buffer;
  /** Where the app serves links, e.g. `https://api.example.com/v1/files/_local`; the token is appended. */
  baseUrl: string;
  presignMaxSeconds: number;
  clock: Clock;
}

/** Pre-signing for stores whose links the app itself answers (see FileLinks). */
export class LinkSigner {
  constructor(private readonly settings: LinkSettings) {}

  get(
    key: FileKey,
    options: { expiresInSeconds: number; versionId?: string; contentDisposition?: string },
  ): PresignedRequest {
    const { versionId, contentDisposition: disposition } = options;
    return this.sign('GET', {}, options.expiresInSeconds, (exp) => ({
      op: 'get',
      key: key.value,
      exp,
      versionId,
      disposition,
    }));
  }

  put(
    key: FileKey,
    options: { contentType: string; contentLength: number; expiresInSeconds: number },
  ): PresignedRequest {
    const { contentType, contentLength } = options;
    const headers = { 'content-type': contentType };
    return this.sign('PUT', headers, options.expiresInSeconds, (exp) => ({
      op: 'put',
      key: key.value,
      exp,
      contentType,
      contentLength,
    }));
  }

  /** `contentLength` is the part's planned size, which the link holds the body to. */
  part(
    key: FileKey,
    uploadId: string,
    partNumber: number,
    options: { expiresInSeconds: number; contentLength: number },
  ): PresignedRequest {
    assertPartNumber(partNumber);
    const size = options.contentLength;
    if (!Number.isSafeInteger(size) || size < 0) throw new Error('a part link needs the planned size of its part');
    return this.sign('PUT', {}, options.expiresInSeconds, (exp) => ({
      op: 'part',
      key: key.value,
      exp,
      uploadId,
      partNumber,
      size,
    }));
  }

  private sign(
    method: 'GET' | 'PUT',
    headers: Record<string, string>,
    seconds: number,
    claims: (exp: number) => LinkClaims,
  ): PresignedRequest {
    const exp =
      Math.floor(this.settings.clock.now().getTime() / 1000) + clampLifetime(seconds, this.settings.presignMaxSeconds);
    const token = signLink(this.settings.secret, claims(exp));
    return {
      url: `${this.settings.baseUrl.replace(/\/+$/, '')}/${token}`,
      method,
      headers,
      expiresAt: new Date(exp * 1000),
    };
  }
}
