import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';
import net from 'node:net';
import { MEMORY_BACKEND, SQL_BACKENDS, usePortico } from '../../support/backends.js';
import { bytesStream } from '../../support/file-bytes.js';
import { bearer, streamRequest } from '../../support/file-http.js';
import { expectStatus, people, storedUnder } from '../../support/file-app.js';
import { aSignedInUser, send } from '../../support/http-client.js';
import { MONGO_BACKEND } from '../../support/mongo.js';
import type { Portico } from '../../support/portico.js';
const SIZE = 8 * 1024;
const SETTLE_MS = 5_000;
// fetch keeps its connection to the app alive or lets it go (two ends, two descriptors); the
// database pools may grow by one. Files, pipes and the like must come back exactly.
const SOCKET_NOISE = 3;

/** This process's descriptors: how many in all, how many are not sockets, and those open under `dir`. */
function descriptors(dir: string) {
  const targets = readdirSync('/proc/self/fd').map((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return 'gone';
    }
  });
  const others = targets.filter((t) => !t.startsWith('socket:')).length;
  return { others, total: targets.length, under: targets.filter((t) => t.startsWith(dir)) };
}

const CUTS = ['after the headers', 'half-way through the body', 'right after the last body byte'] as const;
type Cut = (typeof CUTS)[number];

/** Sends an upload on a raw socket and hangs up at `cut`; each part is handed to the kernel before the next step. */
async function uploadAndHangUp(app: Portico, token: string, cut: Cut): Promise<void> {
  const { hostname, port } = new URL(app.url);
  const socket = net.connect(Number(port), hostname);
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  const write = (bytes: string | Buffer) => new Promise((resolve) => socket.write(bytes, resolve));
  await write(`POST /v1/files?name=gone HTTP/1.1\r\nHost: ${hostname}\r\n`);
  await write(`Authorization: Bearer ${token}\r\nContent-Length: ${SIZE}\r\n\r\n`);
  const sent = { [CUTS[0]]: 0, [CUTS[1]]: SIZE / 2, [CUTS[2]]: SIZE }[cut];
  if (sent > 0) await write(randomBytes(sent));
  socket.destroy();
}

for (const backend of [MEMORY_BACKEND, ...SQL_BACKENDS, MONGO_BACKEND]) {
  describe(`HTTP files: a client that hangs up mid-upload leaves nothing behind (${backend.name})`, function () {
    this.timeout(30_000);
    const app = usePortico(backend, { FILE_STORE: 'local', SHUTDOWN_GRACE_MS: '1000' });
    let filesDir: string;

    before(async () => {
      // One whole upload first: the files dir exists, and pools and keep-alive sockets are open.
      const { alice } = await people(app);
      const headers = { ...bearer(alice.token), 'content-length': '4' };
      const body = bytesStream(Buffer.from('warm'));
      expectStatus(await streamRequest(app.url, '/v1/files?name=warm', { headers, body }), 201);
      filesDir = realpathSync(app.config.files.dir);
    });

    /** The user's rows other than ready ones, and new stored files no ready row of theirs accounts for. */
    async function leftovers(user: { id: string; token: string }, storedBefore: string[]) {
      const listed = await send(app, 'GET', '/v1/files', { token: user.token });
      const rows: Array<{ id: string; status: string }> = listed.body.items;
      const ready = rows.filter((r) => r.status === 'ready');
      const added = (await storedUnder(app)).filter((f) => !storedBefore.includes(f));
      const accounted = (f: string) => ready.some((r) => f === `objects/files/${user.id}/${r.id}.json`);
      const blobs = added.filter((f) => f.startsWith('blobs/'));
      const strays = [...added.filter((f) => !f.startsWith('blobs/') && !accounted(f)), ...blobs.slice(ready.length)];
      return { notReady: rows.filter((r) => r.status !== 'ready'), strays };
    }

    for (const cut of CUTS) {
      it(`keeps no pending row, temp file or descriptor when the client hangs up ${cut}`, async () => {
        const user = await aSignedInUser(app);
        const [storedBefore, fdsBefore] = [await storedUnder(app), descriptors(filesDir)];
        await uploadAndHangUp(app, user.token, cut);
        let [now, fds] = [await leftovers(user, storedBefore), descriptors(filesDir)];
        const settled = () =>
          now.notReady.length + now.strays.length === 0 &&
          fds.under.length <= fdsBefore.under.length &&
          fds.others <= fdsBefore.others;
        for (let waited = 0; waited < SETTLE_MS && !settled(); waited += 100) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          [now, fds] = [await leftovers(user, storedBefore), descriptors(filesDir)];
        }
        // A hang-up after the last byte may find the upload already stored whole: a real file, not a leftover.
        const left = { rows: now.notReady, files: now.strays, fdsUnderFilesDir: fds.under, otherFds: fds.others };
        const clean = { rows: [], files: [], fdsUnderFilesDir: fdsBefore.under, otherFds: fdsBefore.others };
        expect(left).to.deep.equal(clean);
        expect(fds.total, 'all descriptors').to.be.at.most(fdsBefore.total + SOCKET_NOISE);
        expect(
          app.logs.filter((line) => line.includes('"level":50')),
          'errors logged',
        ).to.deep.equal([]);
      });
    }
  });
}
