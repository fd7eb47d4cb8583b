import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import nock from 'nock';
import { bytesStream, patternSha256, patternSlice, patternStream, sha256 } from '../../support/file-bytes.js';
import { bearer, download, streamRequest } from '../../support/file-http.js';
import { expectStatus, people } from '../../support/file-app.js';
import { expectProblem, send } from '../../support/http-client.js';
import { startPortico, type Portico } from '../../support/portico.js';
import { startCountingProxy } from '../../support/counting-proxy.js';
import { startS3rver, type RunningS3rver } from '../../support/s3rver.js';

const MIB = 1024 * 1024;
const AWS_ENV = ['AWS_ENDPOINT_URL_S3', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'] as const;

/**
 * The whole app on FILE_STORE=s3 against s3rver on loopback. The app finds the endpoint and
 * credentials the standard SDK way, from the environment, exactly as it would in production.
 */
describe('HTTP files on S3 (s3rver)', function () {
  this.timeout(120_000);
  let s3: RunningS3rver;
  let proxy: Awaited<ReturnType<typeof startCountingProxy>>;
  let bucket: S3Client;
  const saved: Partial<Record<(typeof AWS_ENV)[number], string>> = {};
  const started: Portico[] = [];

  const startApp = async (env: Record<string, string> = {}) => {
    const app = await startPortico({ FILE_STORE: 's3', S3_BUCKET: s3.bucket, S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: 'true', ...env });
    started.push(app);
    return app;
  };
  const keysUnder = async (prefix: string) =>
    ((await bucket.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }))).Contents ?? []).map((o) => [o.Key, o.Size]);

  before(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
    s3 = await startS3rver();
    proxy = await startCountingProxy(s3.endpoint);
    for (const name of AWS_ENV) saved[name] = process.env[name];
    Object.assign(process.env, { AWS_ENDPOINT_URL_S3: proxy.endpoint, AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey, AWS_REGION: 'us-east-1' });
    bucket = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials });
  });
  after(async () => {
    for (const app of started) await app.stop();
    bucket?.destroy();
    await proxy?.stop();
    await s3?.stop();
    for (const name of AWS_ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    nock.enableNetConnect();
  });

  describe('with the default limits (multipart above 100 MiB)', () => {
    let app: Portico;
    let alice: Awaited<ReturnType<typeof people>>['alice'];
    let bob: typeof alice;
    before(async () => {
      app = await startApp();
      ({ alice, bob } = await people(app));
    });

    it('streams 120 MiB through POST /v1/files as a parallel multipart upload, and back out', async () => {
      const size = 120 * MIB;
      proxy.reset();
      const res = await streamRequest(app.url, '/v1/files?name=huge.bin', {
        headers: { ...bearer(alice.token), 'content-type': 'application/octet-stream', 'content-length': String(size) },
        body: patternStream(size, 11, MIB),
      });
      expectStatus(res, 201);
      expect(res.body.file).to.include({ size, status: 'ready', checksum: patternSha256(size, 11, MIB) });
      // 120 MiB in 5 MiB parts: 24 UploadPart calls, up to MULTIPART_QUEUE_SIZE (4) at once.
      const calls = proxy.seen.map((r) => `${r.method} ${/[?&](uploads|partNumber|uploadId)\b/.exec(r.url)?.[1] ?? '-'}`);
      expect(calls.filter((c) => c === 'POST uploads')).to.have.length(1);
      expect(calls.filter((c) => c === 'PUT partNumber')).to.have.length(24);
      expect(calls.filter((c) => c === 'POST uploadId')).to.have.length(1);
      expect(proxy.parts.most).to.be.within(2, 4);
      expect(await keysUnder(`files/${alice.id}/${res.body.file.id}`)).to.deep.equal([[`files/${alice.id}/${res.body.file.id}`, size]]);
      const back = await download(`${app.url}/v1/files/${res.body.file.id}/content`, bearer(alice.token));
      expect([back.status, back.size, back.sha256]).to.deep.equal([200, size, patternSha256(size, 11, MIB)]);
    });

    it('streams 20 MiB as one PutObject; ranges come from S3', async () => {
      const size = 20 * MIB;
      const res = await streamRequest(app.url, '/v1/files?name=twenty.bin', { headers: { ...bearer(alice.token), 'content-length': String(size) }, body: patternStream(size, 5) });
      expectStatus(res, 201);
      expect(res.body.file.checksum).to.equal(patternSha256(size, 5));
      const content = `${app.url}/v1/files/${res.body.file.id}/content`;
      const whole = await download(content, bearer(alice.token));
      expect([whole.size, whole.sha256, whole.headers.get('etag')]).to.deep.include.members([size, patternSha256(size, 5)]);
      expect(whole.headers.get('etag')).to.match(/^"[0-9a-f]{32}"$/);
      const ranged = await download(content, { ...bearer(alice.token), range: `bytes=${size - 10}-` });
      expect([ranged.status, ranged.headers.get('content-range'), ranged.head]).to.deep.equal([206, `bytes ${size - 10}-${size - 1}/${size}`, patternSlice(size, size - 10, size - 1, 5)]);
      expectProblem(await send(app, 'GET', `/v1/files/${res.body.file.id}/content`, { token: alice.token, headers: { range: `bytes=${size}-` } }), 416, 'FILE.RANGE_NOT_SATISFIABLE');
    });

    it('signs S3 download URLs that download as an attachment, and that S3 refuses once expired', async () => {
      const { file } = (await streamRequest(app.url, `/v1/files?name=${encodeURIComponent('résumé.pdf')}`, { headers: { ...bearer(alice.token), 'content-length': '5' }, body: bytesStream(Buffer.from('%PDF-')) })).body;
      const link = await send(app, 'GET', `/v1/files/${file.id}/download-url?expiresIn=1`, { token: alice.token });
      expect(link.body.url).to.match(new RegExp(`^${proxy.endpoint}/${s3.bucket}/files/`));
      const fresh = await fetch(link.body.url);
      expect([fresh.status, await fresh.text()]).to.deep.equal([200, '%PDF-']);
      expect(fresh.headers.get('content-disposition')).to.equal(`attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect((await fetch(link.body.url)).status).to.equal(403);
      expectProblem(await send(app, 'GET', `/v1/files/${file.id}/download-url`, { token: bob.token }), 404, 'FILE.NOT_FOUND');
    });

    it('takes a direct PUT to S3, checks its size on completion, and deletes an object of the wrong size', async () => {
      const bytes = randomBytes(2048);
      const ok = (await send(app, 'POST', '/v1/files/uploads', { token: alice.token, json: { name: 'd.bin', contentType: 'application/octet-stream', size: 2048 } })).body;
      expect(ok.upload).to.include({ kind: 'single', method: 'PUT' });
      expect((await fetch(ok.upload.url, { method: 'PUT', headers: ok.upload.headers, body: bytes })).status).to.equal(200);
      const done = await send(app, 'POST', `/v1/files/${ok.file.id}/complete`, { token: alice.token, json: {} });
      expect(done.body.file).to.include({ status: 'ready', size: 2048 });
      expect((await download(`${app.url}/v1/files/${ok.file.id}/content`, bearer(alice.token))).sha256).to.equal(sha256(bytes));

      // s3rver does not check the signed length (real S3 would answer 403): the server's own check catches it.
      const short = (await send(app, 'POST', '/v1/files/uploads', { token: alice.token, json: { name: 'e.bin', contentType: 'application/octet-stream', size: 2048 } })).body;
      expect((await fetch(short.upload.url, { method: 'PUT', headers: short.upload.headers, body: bytes.subarray(0, 1000) })).status).to.equal(200);
      expectProblem(await send(app, 'POST', `/v1/files/${short.file.id}/complete`, { token: alice.token, json: {} }), 400, 'FILE.UPLOAD_INCOMPLETE');
      expect(await keysUnder(`files/${alice.id}/${short.file.id}`)).to.deep.equal([]);
      expect((await send(app, 'GET', `/v1/files/${short.file.id}`, { token: alice.token })).body.file.status).to.equal('pending');
    });
  });

  describe('with small limits (multipart above 5 MiB, at most 16 MiB)', () => {
    let app: Portico;
    let alice: Awaited<ReturnType<typeof people>>['alice'];
    before(async () => {
      app = await startApp({ MULTIPART_THRESHOLD_BYTES: String(5 * MIB), MULTIPART_PART_BYTES: String(5 * MIB), MAX_UPLOAD_BYTES: String(16 * MIB) });
      ({ alice } = await people(app));
    });

    it('assembles a direct multipart upload sent part by part to pre-signed S3 URLs', async () => {
      const parts = [randomBytes(5 * MIB), randomBytes(5 * MIB), randomBytes(MIB)];
      const { file, upload } = (await send(app, 'POST', '/v1/files/uploads', { token: alice.token, json: { name: 'm.bin', contentType: 'video/mp4', size: 11 * MIB } })).body;
      expect([upload.kind, upload.parts.length]).to.deep.equal(['multipart', 3]);
      const refs = [];
      for (const [i, bytes] of parts.entries()) {
        const res = await fetch(upload.parts[i].url, { method: 'PUT', body: bytes });
        expect(res.status).to.equal(200);
        refs.push({ partNumber: i + 1, etag: res.headers.get('etag') ?? '' });
      }
      // s3rver has no ListParts, so resuming (GET .../upload) is shown on the local-disk store instead.
      const done = await send(app, 'POST', `/v1/files/${file.id}/complete`, { token: alice.token, json: { parts: refs } });
      expect(done.body.file).to.include({ status: 'ready', size: 11 * MIB });
      expect((await download(`${app.url}/v1/files/${file.id}/content`, bearer(alice.token))).sha256).to.equal(sha256(Buffer.concat(parts)));
    });

    it('answers 413 for a body past the limit and keeps no object and no row', async () => {
      const { alice } = await people(app);
      const declared = await streamRequest(app.url, '/v1/files?name=big', { headers: { ...bearer(alice.token), 'content-length': String(17 * MIB) }, body: patternStream(17 * MIB) });
      expect([declared.status, declared.body.code]).to.deep.equal([413, 'FILE.TOO_LARGE']);
      const chunked = await streamRequest(app.url, '/v1/files?name=big', { headers: bearer(alice.token), body: patternStream(24 * MIB) });
      expect([chunked.status, chunked.body.code]).to.deep.equal([413, 'FILE.TOO_LARGE']);
      expect(await keysUnder(`files/${alice.id}/`)).to.deep.equal([]);
      expect((await send(app, 'GET', '/v1/files', { token: alice.token })).body.items).to.deep.equal([]);
    });

    it('deletes the objects of a deleted user', async () => {
      const { alice: carol, bob: dave } = await people(app);
      for (const who of [carol, carol, dave]) {
        expectStatus(await streamRequest(app.url, '/v1/files?name=f', { headers: { ...bearer(who.token), 'content-length': '4' }, body: bytesStream(Buffer.from('data')) }), 201);
      }
      expect(await keysUnder(`files/${carol.id}/`)).to.have.length(2);
      expectStatus(await send(app, 'DELETE', `/v1/users/${carol.id}`, { token: carol.token }), 204);
      expect(await keysUnder(`files/${carol.id}/`)).to.deep.equal([]);
      expect(await keysUnder(`files/${dave.id}/`)).to.have.length(1);
    });
  });
});
