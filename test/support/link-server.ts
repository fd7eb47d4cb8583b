import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError } from '../../src/domain/errors.js';
import type { ByteRange, FileLinkAnswer, FileLinks } from '../../src/domain/ports/file-store.js';

const STATUS: Partial<Record<string, number>> = {
  'FILE.LINK_INVALID': 403,
  'FILE.NOT_FOUND': 404,
  'FILE.RANGE_NOT_SATISFIABLE': 416,
  'FILE.UPLOAD_INCOMPLETE': 400,
  'FILE.TOO_LARGE': 413,
};
const PREFIX = '/v1/files/_local/';

function rangeOf(header: string | undefined): ByteRange | undefined {
  const match = header ? /^bytes=(\d+)-(\d*)$/.exec(header) : null;
  return match ? { start: Number(match[1]), end: match[2] ? Number(match[2]) : undefined } : undefined;
}

function answer(res: ServerResponse, result: FileLinkAnswer): void {
  if (result.kind === 'stored') {
    res.writeHead(200, { etag: `"${result.etag}"` }).end();
    return;
  }
  const { content, contentDisposition } = result;
  res.writeHead(content.contentRange ? 206 : 200, {
    'content-type': content.contentType,
    'content-length': String(content.contentLength),
    etag: `"${content.etag}"`,
    ...(content.contentRange
      ? {
          'content-range': `bytes ${content.contentRange.start}-${content.contentRange.end}/${content.contentRange.size}`,
        }
      : {}),
    ...(contentDisposition ? { 'content-disposition': contentDisposition } : {}),
  });
  content.body.pipe(res);
}

async function handle(links: FileLinks | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '';
  if (!links || !url.startsWith(PREFIX)) return void res.writeHead(404).end();
  const token = url.slice(PREFIX.length);
  try {
    const request =
      req.method === 'PUT'
        ? {
            method: 'PUT' as const,
            body: req,
            contentType: req.headers['content-type'],
            contentLength: req.headers['content-length'] ? Number(req.headers['content-length']) : undefined,
          }
        : { method: 'GET' as const, range: rangeOf(req.headers.range) };
    answer(res, await links.serve(token, request));
  } catch (error) {
    // Read what the client is still sending, so it gets the answer rather than a broken pipe.
    if (!req.readableEnded) await once(req.resume(), 'end').catch(() => undefined);
    const status = error instanceof DomainError ? (STATUS[error.code] ?? 500) : 500;
    res.writeHead(status, { 'content-type': 'text/plain' }).end(error instanceof DomainError ? error.code : 'error');
  }
}

/**
 * What the HTTP adapter will do for `/v1/files/_local/{token}`, reduced to the minimum: lets the
 * contract exercise local-disk and in-memory links with a plain HTTP client.
 */
export async function startLinkServer() {
  let links: FileLinks | undefined;
  const server = createServer((req, res) => void handle(links, req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1/files/_local`,
    serve(next: FileLinks) {
      links = next;
    },
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
