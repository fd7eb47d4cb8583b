import { once } from 'node:events';
import http from 'node:http';
import { pipeline } from 'node:stream';
import type { AddressInfo } from 'node:net';

export interface SeenS3Request {
  method: string;
  url: string;
}

/**
 * A pass-through HTTP proxy in front of an S3 server that records every request and how many
 * UploadPart calls were in flight at once: what the app actually sent, not what it meant to.
 */
export async function startCountingProxy(target: string) {
  const seen: SeenS3Request[] = [];
  const parts = { inFlight: 0, most: 0 };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const isPart = req.method === 'PUT' && /[?&]partNumber=/.test(url);
    seen.push({ method: req.method ?? '', url });
    if (isPart) parts.most = Math.max(parts.most, (parts.inFlight += 1));
    res.once('close', () => {
      if (isPart) parts.inFlight -= 1;
    });
    const { expect: _continue, ...headers } = req.headers;
    const upstream = http.request(new URL(url, target), { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      // An answer that breaks off ends the client's response too, instead of leaving it waiting.
      pipeline(answer, res, () => undefined);
    });
    upstream.once('error', () => res.destroy());
    pipeline(req, upstream, () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    parts,
    reset() {
      seen.length = 0;
      parts.most = 0;
    },
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
