import net from 'node:net';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { storedUnder } from '../../support/file-app.js';
import { bearer, streamRequest } from '../../support/file-http.js';
import { aSignedInUser, send } from '../../support/http-client.js';
import { startPortico, type Portico } from '../../support/portico.js';
import { until } from '../../support/until.js';

const IDLE_MS = 400;

/** Opens a connection, writes `text`, then sends nothing more; resolves with all it got back once the server closes it. */
function stallAfter(app: Portico, text: string | Buffer): Promise<{ answer: string; ms: number }> {
  const { port } = new URL(app.url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('close', () => resolve({ answer, ms: Date.now() - started }));
    socket.on('error', reject);
    socket.setTimeout(15_000, () => reject(new Error(`still open after 15 s; got: ${answer}`)));
  });
}

const problemIn = (answer: string) =>
  JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { code: string; status: number };

/** A body that sends `chunk` every `everyMs`, `times` times: slow, but never stopped for long. */
const trickle = (chunk: Buffer, everyMs: number, times: number) =>
  Readable.from(
    (async function* () {
      for (let i = 0; i < times; i++) {
        await new Promise((r) => setTimeout(r, everyMs));
        yield chunk;
      }
    })(),
  );

describe('stalled bodies, idle connections and unread responses (BODY_IDLE_TIMEOUT_MS, HEADERS_TIMEOUT_MS)', function () {
  this.timeout(30_000);
  let app: Portico;
  before(async () => {
    app = await startPortico({
      BODY_IDLE_TIMEOUT_MS: String(IDLE_MS),
      HEADERS_TIMEOUT_MS: '1000',
      FILE_STORE: 'local',
    });
  });
  after(() => app?.stop());

  it('answers a JSON body that stops halfway 408 REQUEST.BODY_TIMEOUT and closes the connection', async () => {
    const head =
      'POST /v1/auth/login HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n';
    const { answer, ms } = await stallAfter(app, `${head}{"email":`);
    expect(answer).to.match(/^HTTP\/1\.1 408 /);
    expect(answer.toLowerCase()).to.include('content-type: application/problem+json').and.include('connection: close');
    expect(problemIn(answer)).to.include({ status: 408, code: 'REQUEST.BODY_TIMEOUT' });
    expect(ms).to.be.within(IDLE_MS, IDLE_MS + 2_000);
  });

  it('answers an upload that stops halfway 408 and keeps nothing of it: no file, no pending row', async () => {
    const user = await aSignedInUser(app);
    const head = `POST /v1/files?name=half.bin HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer ${user.token}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${1024 * 1024}\r\n\r\n`;
    const { answer } = await stallAfter(app, Buffer.concat([Buffer.from(head), Buffer.alloc(100 * 1024, 7)]));
    expect(problemIn(answer)).to.include({ status: 408, code: 'REQUEST.BODY_TIMEOUT' });
    // The answer goes out first; the discarding follows it within moments.
    const pending = async () =>
      (await send(app, 'GET', '/v1/files', { headers: bearer(user.token) })).body.items as unknown[];
    await until(async () => (await pending()).length === 0 && (await storedUnder(app)).length === 0, {
      everyMs: 50,
      withinMs: 3_000,
    });
    expect(await pending()).to.deep.equal([]);
    expect(await storedUnder(app)).to.deep.equal([]);
  });

  it('lets a slow upload through as long as its bytes keep coming', async () => {
    const user = await aSignedInUser(app);
    const chunk = Buffer.alloc(4096, 1);
    const res = await streamRequest(app.url, '/v1/files?name=slow.bin', {
      headers: {
        ...bearer(user.token),
        'content-type': 'application/octet-stream',
        'content-length': String(chunk.length * 12),
      },
      body: trickle(chunk, IDLE_MS / 2, 12),
    });
    expect(res.status, res.text).to.equal(201);
    expect(res.body.file.size).to.equal(chunk.length * 12);
  });

  it('closes a connection that never sends a request, with 408, within the headers timeout', async () => {
    const { answer, ms } = await stallAfter(app, '');
    expect(answer).to.match(/^HTTP\/1\.1 408 /);
    expect(ms).to.be.within(1_000, 3_500);
  });

  it('cuts the connection of a client that stops reading a download', async () => {
    const user = await aSignedInUser(app);
    const size = 64 * 1024 * 1024;
    const up = await streamRequest(app.url, '/v1/files?name=big.bin', {
      headers: { ...bearer(user.token), 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body: Readable.from([Buffer.alloc(size, 3)]),
    });
    expect(up.status, up.text).to.equal(201);
    const { port } = new URL(app.url);
    // The server's end of this client's connection, told apart from fetch's kept-alive ones by port.
    const serverSide = new Promise<net.Socket>((resolve) => {
      const spot = (peer: net.Socket) => {
        if (peer.remotePort !== socket.localPort) return;
        app.server.off('connection', spot);
        resolve(peer);
      };
      app.server.on('connection', spot);
    });
    const socket = net.connect(Number(port), '127.0.0.1', () =>
      socket.write(
        `GET /v1/files/${up.body.file.id}/content HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer ${user.token}\r\n\r\n`,
      ),
    );
    socket.pause();
    try {
      const peer = await serverSide;
      const started = Date.now();
      await until(() => peer.destroyed, { everyMs: 50, withinMs: IDLE_MS + 5_000 });
      expect(peer.destroyed, 'the server still holds the connection').to.equal(true);
      expect(peer.bytesWritten).to.be.greaterThan(0).and.lessThan(size);
      expect(Date.now() - started).to.be.greaterThan(IDLE_MS);
    } finally {
      socket.destroy();
    }
  });
});
