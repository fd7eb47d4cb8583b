import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { MEMORY_BACKEND, SQL_BACKENDS, usePortico } from '../../support/backends.js';
import { bytesStream, patternStream } from '../../support/file-bytes.js';
import { bearer, streamRequest } from '../../support/file-http.js';
import { expectStatus, people, storedUnder } from '../../support/file-app.js';
import { expectProblem, send } from '../../support/http-client.js';
import { MONGO_BACKEND } from '../../support/mongo.js';
import { until } from '../../support/until.js';

const MIB = 1024 * 1024;

describe('HTTP files over the size limit', function () {
  this.timeout(30_000);
  const app = usePortico(MEMORY_BACKEND, { FILE_STORE: 'local', MAX_UPLOAD_BYTES: String(MIB) });
  let alice: Awaited<ReturnType<typeof people>>['alice'];

  before(async () => {
    ({ alice } = await people(app));
  });

  async function expectNothingKept() {
    expect((await send(app, 'GET', '/v1/files', { token: alice.token })).body.items).to.deep.equal([]);
    expect((await storedUnder(app)).filter((f) => !f.startsWith('uploads/'))).to.deep.equal([]);
  }

  it('refuses a declared Content-Length over the limit with 413 before reading it, keeping nothing', async () => {
    const size = 8 * MIB;
    const res = await streamRequest(app.url, '/v1/files?name=big', {
      headers: { ...bearer(alice.token), 'content-length': String(size) },
      body: patternStream(size),
    });
    expect([res.status, res.body.code]).to.deep.equal([413, 'FILE.TOO_LARGE']);
    await expectNothingKept();
  });

  it('cuts off a chunked body once it passes the limit with 413: no row, no object, no temp file', async () => {
    const res = await streamRequest(app.url, '/v1/files?name=big', {
      headers: bearer(alice.token),
      body: patternStream(6 * MIB),
    });
    expect([res.status, res.body.code]).to.deep.equal([413, 'FILE.TOO_LARGE']);
    await expectNothingKept();
  });

  it('answers 413 to a client still sending, and lets it finish sending instead of resetting it', async () => {
    // A raw socket: node:http's client stops writing once its response has ended (no 'drain' after
    // it), which would hide what the server does with the rest of the body.
    const { port } = new URL(app.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const sent = new Promise<string>((resolve) => {
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      setTimeout(() => resolve('stuck'), 10_000);
      socket.once('connect', async () => {
        socket.write(
          `POST /v1/files?name=big HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer ${alice.token}\r\nTransfer-Encoding: chunked\r\n\r\n`,
        );
        // The whole body goes out only if the app reads (and drops) what follows the limit.
        for await (const chunk of patternStream(8 * MIB)) {
          if (
            !socket.write(
              Buffer.concat([
                Buffer.from(`${(chunk as Buffer).length.toString(16)}\r\n`),
                chunk as Buffer,
                Buffer.from('\r\n'),
              ]),
            )
          ) {
            await once(socket, 'drain');
          }
        }
        socket.write('0\r\n\r\n', () => resolve('sent'));
      });
    });
    try {
      expect(await sent).to.equal('sent');
      // The answer was written when the limit passed, but on a busy machine it may still be on its way.
      await until(() => answer.length > 0, { withinMs: 5_000 });
      expect(answer).to.match(/^HTTP\/1\.1 413 /);
    } finally {
      socket.destroy();
    }
  });

  it('keeps nothing of an upload whose client goes away half-way', async () => {
    const req = http.request(`${app.url}/v1/files?name=gone`, {
      method: 'POST',
      headers: { ...bearer(alice.token), 'content-length': String(MIB - 1) },
    });
    req.on('error', () => undefined);
    const body = patternStream(MIB / 2);
    body.on('end', () => setTimeout(() => req.destroy(), 100));
    body.pipe(req, { end: false });
    // The app notices the hang-up on its own time: wait for the row and the temp file to go.
    for (let waited = 0; waited < 3000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const rows = (await send(app, 'GET', '/v1/files', { token: alice.token })).body.items;
      if (rows.length === 0 && (await storedUnder(app)).length === 0 && req.destroyed) break;
    }
    await expectNothingKept();
    expect(app.logs.filter((line) => line.includes('"level":50'))).to.deep.equal([]);
  });

  it('refuses a direct upload declared over the limit, signing nothing', async () => {
    expectProblem(
      await send(app, 'POST', '/v1/files/uploads', {
        token: alice.token,
        json: { name: 'x', contentType: 'text/plain', size: MIB + 1 },
      }),
      413,
      'FILE.TOO_LARGE',
    );
    await expectNothingKept();
  });
});

for (const backend of [...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`HTTP files: deleting a user deletes their files (${backend.name})`, function () {
    this.timeout(30_000);
    const app = usePortico(backend, {
      FILE_STORE: 'local',
      // No restore window and a purge every second: a deleted user's files go within the test.
      USER_RESTORE_DAYS: '0',
      USER_PURGE_INTERVAL_SECONDS: '1',
      MULTIPART_THRESHOLD_BYTES: String(5 * MIB),
      MULTIPART_PART_BYTES: String(5 * MIB),
    });

    it("removes every object, open upload and row of the user once the restore window is over, and leaves other users' files", async () => {
      const { alice, bob, admin } = await people(app);
      for (const n of [1, 2, 3]) {
        const res = await streamRequest(app.url, `/v1/files?name=f${n}`, {
          headers: { ...bearer(alice.token), 'content-length': '100' },
          body: bytesStream(randomBytes(100)),
        });
        expectStatus(res, 201);
      }
      const open = await send(app, 'POST', '/v1/files/uploads', {
        token: alice.token,
        json: { name: 'open', contentType: 'text/plain', size: 6 * MIB },
      });
      await fetch(open.body.upload.parts[0].url, { method: 'PUT', body: randomBytes(5 * MIB) });
      const kept = await streamRequest(app.url, '/v1/files?name=bobs', {
        headers: { ...bearer(bob.token), 'content-length': '3' },
        body: bytesStream(Buffer.from('bob')),
      });
      const stored = await storedUnder(app);
      expect(stored.filter((f) => f.startsWith(`objects/files/${alice.id}/`))).to.have.length(3);

      expectStatus(await send(app, 'DELETE', `/v1/users/${alice.id}`, { token: alice.token }), 204);
      const gone = (names: string[]) =>
        names.filter((f) => f.includes(alice.id) || f.startsWith('uploads/')).length === 0;
      await until(async () => gone(await storedUnder(app)), { everyMs: 200, withinMs: 10_000 });
      const after = await storedUnder(app);
      expect(after.filter((f) => f.includes(alice.id) || f.startsWith('uploads/'))).to.deep.equal([]);
      expect(after.filter((f) => f.startsWith('blobs/'))).to.have.length(1);
      expect((await send(app, 'GET', `/v1/files?ownerId=${alice.id}`, { token: admin })).body.items).to.deep.equal([]);
      expect((await send(app, 'GET', `/v1/files/${kept.body.file.id}/content`, { token: bob.token })).text).to.equal(
        'bob',
      );
    });
  });
}
