import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { bytesStream, patternSha256, patternSlice, patternStream, sha256 } from '../../support/file-bytes.js';
import { bearer, download, streamRequest } from '../../support/file-http.js';
import { expectStatus, people, rawRequest, storedUnder } from '../../support/file-app.js';
import { expectProblem, send } from '../../support/http-client.js';
import { startPortico, type Portico } from '../../support/portico.js';

const MIB = 1024 * 1024;

describe('HTTP files on the local-disk store', function () {
  this.timeout(60_000);
  let app: Portico;
  let alice: Awaited<ReturnType<typeof people>>['alice'];
  let bob: typeof alice;
  let admin: string;

  before(async () => {
    app = await startPortico({
      FILE_STORE: 'local',
      MULTIPART_THRESHOLD_BYTES: String(10 * MIB),
      MULTIPART_PART_BYTES: String(5 * MIB),
    });
    ({ alice, bob, admin } = await people(app));
  });
  after(() => app.stop());

  const upload = (token: string, bytes: Buffer, name = 'notes.txt', contentType = 'text/plain') =>
    streamRequest(app.url, `/v1/files?name=${encodeURIComponent(name)}`, {
      headers: { ...bearer(token), 'content-type': contentType, 'content-length': String(bytes.length) },
      body: bytesStream(bytes),
    });

  it('streams 20 MiB in, and the same bytes out: whole, by range, by suffix', async () => {
    const size = 20 * MIB;
    const res = await streamRequest(app.url, '/v1/files?name=big.bin', {
      headers: { ...bearer(alice.token), 'content-type': 'application/x-portico-test', 'content-length': String(size) },
      body: patternStream(size, 7),
    });
    expectStatus(res, 201);
    const { file } = res.body;
    expect(file).to.include({
      name: 'big.bin',
      size,
      status: 'ready',
      ownerId: alice.id,
      contentType: 'application/x-portico-test',
      checksum: patternSha256(size, 7),
    });
    expect(res.headers.location).to.equal(`/v1/files/${file.id}`);

    const content = `${app.url}/v1/files/${file.id}/content`;
    const whole = await download(content, bearer(alice.token));
    expect([whole.status, whole.size, whole.sha256]).to.deep.equal([200, size, patternSha256(size, 7)]);
    expect(whole.headers.get('content-type')).to.equal('application/x-portico-test');
    expect(whole.headers.get('content-length')).to.equal(String(size));
    expect(whole.headers.get('accept-ranges')).to.equal('bytes');
    expect(whole.headers.get('etag')).to.match(/^"[0-9a-f]{32}"$/);

    const ranged = await download(content, { ...bearer(alice.token), range: 'bytes=1000000-1999999' });
    expect([ranged.status, ranged.size, ranged.headers.get('content-range')]).to.deep.equal([
      206,
      1_000_000,
      `bytes 1000000-1999999/${size}`,
    ]);
    expect(ranged.sha256).to.equal(sha256(patternSlice(size, 1_000_000, 1_999_999, 7)));
    const suffix = await download(content, { ...bearer(alice.token), range: 'bytes=-100' });
    expect([suffix.status, suffix.headers.get('content-range')]).to.deep.equal([
      206,
      `bytes ${size - 100}-${size - 1}/${size}`,
    ]);
    expect(suffix.head).to.deep.equal(patternSlice(size, size - 100, size - 1, 7));
  });

  it('answers 416 with the size for a range past the end, and the whole file for a malformed range', async () => {
    const { body } = await upload(alice.token, Buffer.from('0123456789'));
    const path = `/v1/files/${body.file.id}/content`;
    const past = await send(app, 'GET', path, { token: alice.token, headers: { range: 'bytes=10-' } });
    expectProblem(past, 416, 'FILE.RANGE_NOT_SATISFIABLE');
    expect(past.headers.get('content-range')).to.equal('bytes */10');
    const head = await fetch(`${app.url}${path}`, { method: 'HEAD', headers: bearer(alice.token) });
    expect([head.status, head.headers.get('content-length'), await head.text()]).to.deep.equal([200, '10', '']);
    for (const range of ['bytes=5-2', 'bytes=0-1,4-5', 'items=0-1']) {
      const whole = await send(app, 'GET', path, { token: alice.token, headers: { range } });
      expect([whole.status, whole.text], range).to.deep.equal([200, '0123456789']);
    }
  });

  it('takes a chunked upload of unknown length, and refuses one with no length at all (411)', async () => {
    const res = await streamRequest(app.url, '/v1/files?name=chunked.bin', {
      headers: bearer(alice.token),
      body: patternStream(3 * MIB + 5, 3),
    });
    expectStatus(res, 201);
    expect(res.body.file).to.include({
      size: 3 * MIB + 5,
      checksum: patternSha256(3 * MIB + 5, 3),
      contentType: 'application/octet-stream',
    });
    const answer = await rawRequest(
      app.url,
      `POST /v1/files?name=x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${alice.token}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).to.match(/^HTTP\/1\.1 411 /);
    expect(answer).to.include('REQUEST.LENGTH_REQUIRED');
  });

  it('takes any content type, JSON included, without parsing it, and validates the name', async () => {
    const json = await upload(alice.token, Buffer.from('{"not": "parsed"'), 'broken.json', 'application/json');
    expectStatus(json, 201);
    expect(json.body.file).to.include({ contentType: 'application/json', size: 16 });
    const noName = await streamRequest(app.url, '/v1/files', {
      headers: { ...bearer(alice.token), 'content-length': '1' },
      body: bytesStream(Buffer.from('x')),
    });
    expect([noName.status, noName.body.code]).to.deep.equal([400, 'REQUEST.INVALID']);
    const badName = await upload(alice.token, Buffer.from('x'), 'a\u0007b');
    expect([badName.status, badName.body.code]).to.deep.equal([400, 'REQUEST.INVALID']);
  });

  it('downloads as an attachment whose name cannot break the header, never sniffed', async () => {
    const name = 'Zoë "quoted"; \\ evil.html';
    const { body } = await upload(alice.token, Buffer.from('<script>alert(1)</script>'), name, 'text/html');
    const res = await send(app, 'GET', `/v1/files/${body.file.id}/content`, { token: alice.token });
    expect(res.headers.get('content-disposition')).to.equal(
      `attachment; filename="Zo_ _quoted__ _ evil.html"; filename*=UTF-8''Zo%C3%AB%20%22quoted%22%3B%20%5C%20evil.html`,
    );
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('content-security-policy')).to.include("default-src 'none'");
  });

  it('lists, gets and deletes; a deleted file leaves nothing on disk', async () => {
    const carol = (await people(app)).alice;
    const first = (await upload(carol.token, Buffer.from('one'))).body.file;
    const second = (await upload(carol.token, Buffer.from('two'))).body.file;
    const page = await send(app, 'GET', '/v1/files?limit=1', { token: carol.token });
    expect(page.body.items.map((f: { id: string }) => f.id)).to.deep.equal([first.id]);
    const next = await send(app, 'GET', `/v1/files?limit=1&cursor=${page.body.nextCursor}`, { token: carol.token });
    expect([next.body.items[0].id, next.body.nextCursor]).to.deep.equal([second.id, null]);
    expect((await send(app, 'GET', `/v1/files/${first.id}`, { token: carol.token })).body.file).to.deep.equal(first);
    const before = (await storedUnder(app)).length;
    expectStatus(await send(app, 'DELETE', `/v1/files/${first.id}`, { token: carol.token }), 204);
    expectProblem(await send(app, 'GET', `/v1/files/${first.id}`, { token: carol.token }), 404, 'FILE.NOT_FOUND');
    expect((await storedUnder(app)).length).to.equal(before - 2);
  });

  it('runs a direct multipart upload: parts to pre-signed links, one dropped, resumed, completed', async () => {
    const parts = [randomBytes(5 * MIB), randomBytes(5 * MIB), randomBytes(2 * MIB)];
    const size = 12 * MIB;
    const started = await startDirect(alice.token, 'direct.bin', size, { threshold: true });
    const { file, upload: plan } = started.body;
    expect([file.status, plan.kind, plan.partSize, plan.parts.length]).to.deep.equal([
      'pending',
      'multipart',
      5 * MIB,
      3,
    ]);
    expect(plan.parts[0].url).to.match(new RegExp(`^${app.url}/v1/files/_local/`));
    const etags: string[] = [];
    for (const i of [0, 2]) {
      const res = await fetch(plan.parts[i].url, { method: 'PUT', body: parts[i] });
      expect(res.status).to.equal(200);
      etags[i] = res.headers.get('etag') ?? '';
    }
    const progress = await send(app, 'GET', `/v1/files/${file.id}/upload`, { token: alice.token });
    expect(progress.body.parts.map((p: { partNumber: number; size: number }) => [p.partNumber, p.size])).to.deep.equal([
      [1, 5 * MIB],
      [3, 2 * MIB],
    ]);
    expectProblem(
      await send(app, 'POST', `/v1/files/${file.id}/complete`, { token: alice.token, json: {} }),
      400,
      'FILE.UPLOAD_INCOMPLETE',
    );
    const missing = await fetch(plan.parts[1].url, { method: 'PUT', body: parts[1] });
    etags[1] = missing.headers.get('etag') ?? '';
    const refs = etags.map((etag, i) => ({ partNumber: i + 1, etag }));
    const done = await send(app, 'POST', `/v1/files/${file.id}/complete`, {
      token: alice.token,
      json: { parts: refs },
    });
    expectStatus(done, 200);
    expect(done.body.file).to.include({ status: 'ready', size });
    const back = await download(`${app.url}/v1/files/${file.id}/content`, bearer(alice.token));
    expect(back.sha256).to.equal(sha256(Buffer.concat(parts)));
  });

  it('aborts a direct upload: its parts leave the disk and the file is gone', async () => {
    const { file, upload: plan } = (await startDirect(alice.token, 'aborted.bin', 11 * MIB, { threshold: true })).body;
    await fetch(plan.parts[0].url, { method: 'PUT', body: randomBytes(5 * MIB) });
    expect((await storedUnder(app)).some((f) => f.startsWith(`uploads/${plan.uploadId}/part-`))).to.equal(true);
    expectStatus(await send(app, 'DELETE', `/v1/files/${file.id}/upload`, { token: alice.token }), 204);
    expect((await storedUnder(app)).filter((f) => f.startsWith(`uploads/${plan.uploadId}`))).to.deep.equal([]);
    expectProblem(await send(app, 'GET', `/v1/files/${file.id}/upload`, { token: alice.token }), 404, 'FILE.NOT_FOUND');
  });

  it('uploads through one pre-signed PUT bound to the declared type and length', async () => {
    const bytes = randomBytes(1000);
    const { file, upload: plan } = (await startDirect(alice.token, 'single.csv', bytes.length)).body;
    expect([plan.kind, plan.method, plan.headers]).to.deep.equal(['single', 'PUT', { 'content-type': 'text/csv' }]);
    expect(
      (await fetch(plan.url, { method: 'PUT', headers: { 'content-type': 'text/html' }, body: bytes })).status,
    ).to.equal(403);
    expect((await fetch(plan.url, { method: 'PUT', headers: plan.headers, body: bytes.subarray(1) })).status).to.equal(
      403,
    );
    expect((await fetch(plan.url, { method: 'PUT', headers: plan.headers, body: bytes })).status).to.equal(200);
    const done = await send(app, 'POST', `/v1/files/${file.id}/complete`, { token: alice.token, json: {} });
    expect(done.body.file).to.include({ status: 'ready', size: 1000, contentType: 'text/csv' });
  });

  it('signs download links that work without a token until they expire, then are refused', async () => {
    const { body } = await upload(alice.token, Buffer.from('signed bytes'), 'ŝigned.txt');
    const link = await send(app, 'GET', `/v1/files/${body.file.id}/download-url?expiresIn=1`, { token: alice.token });
    expectStatus(link, 200);
    expect(new Date(link.body.expiresAt).getTime() - Date.now()).to.be.at.most(1000);
    const fresh = await fetch(link.body.url);
    expect([fresh.status, await fresh.text()]).to.deep.equal([200, 'signed bytes']);
    expect(fresh.headers.get('content-disposition')).to.equal(
      `attachment; filename="_igned.txt"; filename*=UTF-8''%C5%9Digned.txt`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const stale = await fetch(link.body.url);
    expect([stale.status, (await stale.json()).code]).to.deep.equal([403, 'FILE.LINK_INVALID']);
    const capped = await send(app, 'GET', `/v1/files/${body.file.id}/download-url?expiresIn=604800`, {
      token: alice.token,
    });
    expect((new Date(capped.body.expiresAt).getTime() - Date.now()) / 1000).to.be.within(890, 900);
    expect(app.logs.join('')).to.not.include(new URL(link.body.url).pathname);
  });

  it("answers 404 for another user's file on every route, pre-signing included", async () => {
    const { id } = (await upload(alice.token, Buffer.from('private'))).body.file;
    const pending = (await startDirect(alice.token, 'pending.bin', 11 * MIB, { threshold: true })).body.file.id;
    const attempts: [string, string, object?][] = [
      ['GET', `/v1/files/${id}`],
      ['GET', `/v1/files/${id}/content`],
      ['GET', `/v1/files/${id}/download-url`],
      ['GET', `/v1/files/${id}/versions`],
      ['POST', `/v1/files/${id}/versions/null/restore`],
      ['DELETE', `/v1/files/${id}`],
      ['GET', `/v1/files/${pending}/upload`],
      ['POST', `/v1/files/${pending}/complete`, {}],
      ['DELETE', `/v1/files/${pending}/upload`],
    ];
    for (const [method, path, json] of attempts)
      expectProblem(await send(app, method, path, { token: bob.token, json }), 404, 'FILE.NOT_FOUND');
    expect((await send(app, 'GET', '/v1/files', { token: bob.token })).body.items).to.deep.equal([]);
    expectProblem(await send(app, 'GET', `/v1/files?ownerId=${alice.id}`, { token: bob.token }), 403, 'AUTH.FORBIDDEN');
    expect((await send(app, 'GET', `/v1/files/${id}/content`, { token: alice.token })).text).to.equal('private');
    const forAdmin = await send(app, 'GET', `/v1/files?ownerId=${alice.id}&limit=100`, { token: admin });
    expect(forAdmin.body.items.map((f: { id: string }) => f.id)).to.include(id);
  });

  it('lists the one version a local store keeps; object lock is not supported there (501)', async () => {
    const { id } = (await upload(alice.token, Buffer.from('v'))).body.file;
    const versions = await send(app, 'GET', `/v1/files/${id}/versions`, { token: alice.token });
    expect(
      versions.body.items.map((v: { versionId: string; isLatest: boolean }) => [v.versionId, v.isLatest]),
    ).to.deep.equal([['null', true]]);
    expectProblem(
      await send(app, 'PUT', `/v1/files/${id}/legal-hold`, { token: alice.token, json: { enabled: true } }),
      403,
      'AUTH.FORBIDDEN',
    );
    expectProblem(
      await send(app, 'PUT', `/v1/files/${id}/legal-hold`, { token: admin, json: { enabled: true } }),
      501,
      'FILE.UNSUPPORTED',
    );
  });

  async function startDirect(token: string, name: string, size: number, options: { threshold?: boolean } = {}) {
    const contentType = options.threshold ? 'application/octet-stream' : 'text/csv';
    const res = await send(app, 'POST', '/v1/files/uploads', { token, json: { name, contentType, size } });
    expectStatus(res, 201);
    return res;
  }
});
