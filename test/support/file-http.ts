import { createHash } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { expect } from 'chai';
import type { FileKey } from '../../src/domain/file/file-key.js';
import type { FileStore } from '../../src/domain/ports/file-store.js';

export interface StreamAnswer {
  status: number;
  /** The request went out on a kept-alive connection an earlier request used. */
  reusedSocket: boolean;
  headers: IncomingHttpHeaders;
  text: string;
  body: Record<string, any>;
}

/**
 * A request whose body is a stream, sent with node:http so the test decides exactly what goes on
 * the wire: Content-Length when given, chunked otherwise, or no body at all.
 */
export function streamRequest(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Readable; agent?: http.Agent } = {},
): Promise<StreamAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, base),
      { method: options.method ?? 'POST', headers: options.headers, agent: options.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let body: Record<string, any>;
          try {
            body = JSON.parse(text);
          } catch {
            body = {};
          }
          resolve({ status: res.statusCode ?? 0, reusedSocket: req.reusedSocket, headers: res.headers, text, body });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body) options.body.pipe(req);
    else req.end();
  });
}

/** Downloads without keeping the bytes: status, headers, size and SHA-256 of what came. */
export async function download(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  const hash = createHash('sha256');
  let size = 0;
  const kept: Buffer[] = [];
  if (res.body) {
    for await (const chunk of res.body) {
      const bytes = Buffer.from(chunk);
      hash.update(bytes);
      size += bytes.length;
      if (kept.length < 64) kept.push(bytes);
    }
  }
  return {
    status: res.status,
    headers: res.headers,
    size,
    sha256: hash.digest('hex'),
    head: Buffer.concat(kept).subarray(0, 4096),
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** PUTs one part to the URL the store pre-signs for it, as a browser would; the ETag the server answered. */
export async function sendPart(
  store: FileStore,
  key: FileKey,
  uploadId: string,
  partNumber: number,
  bytes: Buffer<ArrayBuffer>,
) {
  const signed = await store.presignPart(key, uploadId, partNumber, {
    expiresInSeconds: 60,
    contentLength: bytes.length,
  });
  const res = await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: bytes });
  expect(res.status).to.equal(200);
  return res.headers.get('etag') ?? '';
}
