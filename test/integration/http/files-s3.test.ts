import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { until } from '../../support/until.js';
import { createHash, randomBytes } from 'node:crypto';
import nock from 'nock';
import { bytesStream, patternSha256, patternSlice, patternStream, sha256 } from '../../support/file-bytes.js';
import { bearer, download, streamRequest } from '../../support/file-http.js';
import { expectStatus, people } from '../../support/file-app.js';
import { expectProblem, send } from '../../support/http-client.js';
import { startPortico, type Portico } from '../../support/portico.js';
import { startCountingProxy } from '../../support/counting-proxy.js';
import {
  createKmsKey,
  createTestBucket,
  motoEnv,
  motoS3Client,
  requireMoto,
  type Moto,
  type TestBucket,
} from '../../support/moto.js';
import { rejectionOf } from '../../support/rejection.js';

const MIB = 1024 * 1024;
const DAY = 86_400_000;
const unquote = (etag: string | null) => (etag ?? '').replace(/^"|"$/g, '');
type Person = Awaited<ReturnType<typeof people>>['alice'];

/**
 * The whole app on FILE_STORE=s3 against moto, in a bucket of its own with versioning, object lock
 * (no default retention: with one, S3 and moto want a checksum header on every PUT, which the app
 * does not send) and SSE-KMS. The app finds the endpoint and credentials the standard SDK way, from
 * the environment, as in production. Only the uploads whose S3 calls are counted go through the
 * counting proxy: through it, a large GetObject answer from moto was now and then cut short (never
 * without it), and the proxy then leaves the app waiting for the rest.
 */
describe('HTTP files on S3 (moto)', function () {
  this.timeout(180_000);
  let moto: Moto;
  let proxy: Awaited<ReturnType<typeof startCountingProxy>>;
  let s3: S3Client;
  let bucket: TestBucket;
  let kmsKeyId: string;
  const saved: Record<string, string | undefined> = {};
  const started: Portico[] = [];

  const startApp = async (env: Record<string, string> = {}) => {
    const sse = { S3_SSE: 'aws:kms', S3_SSE_KMS_KEY_ID: kmsKeyId };
    const app = await startPortico({
      FILE_STORE: 's3',
      S3_BUCKET: bucket.name,
      S3_REGION: moto.region,
      S3_FORCE_PATH_STYLE: 'true',
      ...sse,
      ...env,
    });
    started.push(app);
    return app;
  };
  const keysUnder = async (prefix: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket.name, Prefix: prefix }))).Contents ?? []).map((o) => [
      o.Key,
      o.Size,
    ]);
  const head = (Key: string, VersionId?: string) =>
    s3.send(new HeadObjectCommand({ Bucket: bucket.name, Key, VersionId }));
  const versionsOf = async (Key: string) => {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket.name, Prefix: Key }));
    return {
      versions: (page.Versions ?? []).map((v) => v.VersionId),
      markers: (page.DeleteMarkers ?? []).map((m) => m.IsLatest),
    };
  };
  const expectKms = async (Key: string) => {
    const out = await head(Key);
    expect([out.ServerSideEncryption, out.SSEKMSKeyId]).to.deep.equal(['aws:kms', kmsKeyId]);
  };
  /** Size and SHA-256 of the object as moto keeps it, read straight from moto. */
  const stored = async (Key: string) => {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket.name, Key }));
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of out.Body as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    return [size, hash.digest('hex')];
  };

  before(async function () {
    moto = requireMoto(this);
    nock.disableNetConnect();
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
    s3 = motoS3Client(moto);
    bucket = await createTestBucket(s3, { versioning: true, objectLock: true });
    kmsKeyId = await createKmsKey(moto);
    proxy = await startCountingProxy(moto.endpoint);
    const env = motoEnv(moto);
    for (const name of Object.keys(env)) saved[name] = process.env[name];
    Object.assign(process.env, env);
  });
  after(async () => {
    for (const app of started) await app.stop();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await proxy?.stop();
    await bucket?.remove();
    s3?.destroy();
    nock.enableNetConnect();
  });

  describe('with the default limits, S3 calls counted by the proxy', () => {
    let app: Portico;
    let alice: Person;
    before(async () => {
      // The SDK takes its endpoint from the environment at the client's first call: this app's is the
      // proxy, every later app's moto itself.
      process.env.AWS_ENDPOINT_URL_S3 = proxy.endpoint;
      app = await startApp();
      ({ alice } = await people(app));
    });
    after(async () => {
      await app.stop();
      process.env.AWS_ENDPOINT_URL_S3 = moto.endpoint;
    });
    const upload = async (name: string, size: number, seed: number, partBytes?: number) => {
      proxy.reset();
      const res = await streamRequest(app.url, `/v1/files?name=${name}`, {
        headers: { ...bearer(alice.token), 'content-type': 'application/octet-stream', 'content-length': String(size) },
        body: patternStream(size, seed, partBytes),
      });
      expectStatus(res, 201);
      const calls = proxy.seen.map(
        (r) => `${r.method} ${/[?&](uploads|partNumber|uploadId)\b/.exec(r.url)?.[1] ?? '-'}`,
      );
      return { file: res.body.file, key: `files/${alice.id}/${res.body.file.id}`, calls };
    };

    it('streams 120 MiB through POST /v1/files as a parallel multipart upload, encrypted with the KMS key', async () => {
      const size = 120 * MIB;
      const { file, key, calls } = await upload('huge.bin', size, 11, MIB);
      expect(file).to.include({ size, status: 'ready', checksum: patternSha256(size, 11, MIB) });
      // 120 MiB in 5 MiB parts: 24 UploadPart calls, up to MULTIPART_QUEUE_SIZE (4) at once.
      expect(calls.filter((c) => c === 'POST uploads')).to.have.length(1);
      expect(calls.filter((c) => c === 'PUT partNumber')).to.have.length(24);
      expect(calls.filter((c) => c === 'POST uploadId')).to.have.length(1);
      expect(proxy.parts.most).to.be.within(2, 4);
      expect(await keysUnder(key)).to.deep.equal([[key, size]]);
      await expectKms(key);
      expect(file.versionId)
        .to.equal((await head(key)).VersionId)
        .and.be.a('string');
      expect(await stored(key)).to.deep.equal([size, patternSha256(size, 11, MIB)]);
    });

    it('streams 20 MiB as one PutObject', async () => {
      const size = 20 * MIB;
      const { key, calls } = await upload('twenty.bin', size, 5);
      expect(calls).to.deep.equal(['PUT -']);
      expect(await stored(key)).to.deep.equal([size, patternSha256(size, 5)]);
      await expectKms(key);
    });
  });

  describe('with the default limits', () => {
    let app: Portico;
    let alice: Person;
    let bob: Person;
    let admin: string;
    before(async () => {
      app = await startApp();
      ({ alice, bob, admin } = await people(app));
    });
    const directUpload = async (name: string, size: number) =>
      (
        await send(app, 'POST', '/v1/files/uploads', {
          token: alice.token,
          json: { name, contentType: 'application/octet-stream', size },
        })
      ).body;
    const putTo = (upload: { url: string; headers: Record<string, string> }, bytes: Buffer<ArrayBuffer>) =>
      fetch(upload.url, { method: 'PUT', headers: upload.headers, body: bytes });
    const uploaded = async (bytes: Buffer) => {
      const res = await streamRequest(app.url, '/v1/files?name=f.bin', {
        headers: { ...bearer(alice.token), 'content-length': String(bytes.length) },
        body: bytesStream(bytes),
      });
      expectStatus(res, 201);
      return res.body.file as { id: string; versionId: string };
    };

    it('streams 20 MiB down, and ranges of it, from S3', async () => {
      const size = 20 * MIB;
      const res = await streamRequest(app.url, '/v1/files?name=twenty.bin', {
        headers: { ...bearer(alice.token), 'content-length': String(size) },
        body: patternStream(size, 5),
      });
      expectStatus(res, 201);
      expect(res.body.file.checksum).to.equal(patternSha256(size, 5));
      const content = `${app.url}/v1/files/${res.body.file.id}/content`;
      const whole = await download(content, bearer(alice.token));
      expect([whole.size, whole.sha256]).to.deep.equal([size, patternSha256(size, 5)]);
      expect(whole.headers.get('etag')).to.match(/^"[0-9a-f]{32}"$/);
      const ranged = await download(content, { ...bearer(alice.token), range: `bytes=${size - 10}-` });
      expect([ranged.status, ranged.headers.get('content-range'), ranged.head]).to.deep.equal([
        206,
        `bytes ${size - 10}-${size - 1}/${size}`,
        patternSlice(size, size - 10, size - 1, 5),
      ]);
      expectProblem(
        await send(app, 'GET', `/v1/files/${res.body.file.id}/content`, {
          token: alice.token,
          headers: { range: `bytes=${size}-` },
        }),
        416,
        'FILE.RANGE_NOT_SATISFIABLE',
      );
    });

    it('signs S3 download URLs that download as an attachment and carry their expiry (moto does not enforce it)', async () => {
      const { file } = (
        await streamRequest(app.url, `/v1/files?name=${encodeURIComponent('résumé.pdf')}`, {
          headers: { ...bearer(alice.token), 'content-length': '5' },
          body: bytesStream(Buffer.from('%PDF-')),
        })
      ).body;
      const link = await send(app, 'GET', `/v1/files/${file.id}/download-url?expiresIn=60`, { token: alice.token });
      expect(link.body.url).to.match(new RegExp(`^${moto.endpoint}/${bucket.name}/files/`));
      const fresh = await fetch(link.body.url);
      expect([fresh.status, await fresh.text()]).to.deep.equal([200, '%PDF-']);
      expect(fresh.headers.get('content-disposition')).to.equal(
        `attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`,
      );
      // moto checks neither signatures nor X-Amz-Expires, so an expired URL still downloads there; the
      // expiry S3 would enforce is the one signed into the URL, which must match what the app answered.
      const signed = new URL(link.body.url).searchParams;
      const signedAt = Date.parse(
        (signed.get('X-Amz-Date') ?? '').replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'),
      );
      // X-Amz-Date has whole seconds; expiresAt keeps the signing time's milliseconds.
      expect([signed.get('X-Amz-Expires'), signedAt + 60_000]).to.deep.equal([
        '60',
        Math.floor(Date.parse(link.body.expiresAt) / 1000) * 1000,
      ]);
      expectProblem(
        await send(app, 'GET', `/v1/files/${file.id}/download-url`, { token: bob.token }),
        404,
        'FILE.NOT_FOUND',
      );
    });

    it('takes a direct PUT to S3 with the SSE headers, checks its size on completion, and deletes an object of the wrong size', async () => {
      const bytes = randomBytes(2048);
      const ok = await directUpload('d.bin', 2048);
      expect(ok.upload).to.include({ kind: 'single', method: 'PUT' });
      expect(ok.upload.headers).to.deep.include({
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': kmsKeyId,
      });
      expect((await putTo(ok.upload, bytes)).status).to.equal(200);
      const done = await send(app, 'POST', `/v1/files/${ok.file.id}/complete`, { token: alice.token, json: {} });
      expect(done.body.file).to.include({ status: 'ready', size: 2048 });
      await expectKms(`files/${alice.id}/${ok.file.id}`);
      expect((await download(`${app.url}/v1/files/${ok.file.id}/content`, bearer(alice.token))).sha256).to.equal(
        sha256(bytes),
      );

      // moto checks no signature, so a PUT of another length than the one signed reaches it (S3 would
      // answer 403): the server's own check on completion catches it.
      const short = await directUpload('e.bin', 2048);
      expect((await putTo(short.upload, bytes.subarray(0, 1000))).status).to.equal(200);
      expectProblem(
        await send(app, 'POST', `/v1/files/${short.file.id}/complete`, { token: alice.token, json: {} }),
        400,
        'FILE.UPLOAD_INCOMPLETE',
      );
      expect(await keysUnder(`files/${alice.id}/${short.file.id}`)).to.deep.equal([]);
      expect((await send(app, 'GET', `/v1/files/${short.file.id}`, { token: alice.token })).body.file.status).to.equal(
        'pending',
      );
    });

    it('lists the versions two PUTs to a signed URL left, downloads the older one, and restores it on top', async () => {
      const [first, second] = [randomBytes(4096), randomBytes(4096)];
      const { file, upload } = await directUpload('v.bin', 4096);
      const etags: string[] = [];
      for (const bytes of [first, second]) {
        const put = await putTo(upload, bytes);
        expect(put.status).to.equal(200);
        etags.push(unquote(put.headers.get('etag')));
      }
      const ready = (await send(app, 'POST', `/v1/files/${file.id}/complete`, { token: alice.token, json: {} })).body
        .file;
      const listed = (await send(app, 'GET', `/v1/files/${file.id}/versions`, { token: alice.token })).body.items;
      expect(listed.map((v: Record<string, unknown>) => [v.etag, v.size, v.isLatest])).to.deep.equal([
        [etags[1], 4096, true],
        [etags[0], 4096, false],
      ]);
      expect(listed[0].versionId).to.equal(ready.versionId);
      const old = listed[1].versionId as string;

      const content = `${app.url}/v1/files/${file.id}/content`;
      expect((await download(`${content}?versionId=${encodeURIComponent(old)}`, bearer(alice.token))).sha256).to.equal(
        sha256(first),
      );
      const link = await send(app, 'GET', `/v1/files/${file.id}/download-url?versionId=${encodeURIComponent(old)}`, {
        token: alice.token,
      });
      expect(Buffer.from(await (await fetch(link.body.url)).arrayBuffer()).equals(first)).to.equal(true);
      expectProblem(
        await send(app, 'GET', `/v1/files/${file.id}/content?versionId=${ready.versionId}x`, { token: alice.token }),
        404,
        'FILE.NOT_FOUND',
      );

      const restored = await send(app, 'POST', `/v1/files/${file.id}/versions/${encodeURIComponent(old)}/restore`, {
        token: alice.token,
      });
      expectStatus(restored, 200);
      expect(restored.body.file.versionId).to.be.a('string').and.not.be.oneOf([old, ready.versionId]);
      expect((await download(content, bearer(alice.token))).sha256).to.equal(sha256(first));
      const after = (await send(app, 'GET', `/v1/files/${file.id}/versions`, { token: alice.token })).body.items;
      expect(after.map((v: Record<string, unknown>) => [v.versionId, v.isLatest])).to.deep.equal([
        [restored.body.file.versionId, true],
        [ready.versionId, false],
        [old, false],
      ]);
      await expectKms(`files/${alice.id}/${file.id}`);
      expectProblem(
        await send(app, 'POST', `/v1/files/${file.id}/versions/${encodeURIComponent(old)}/restore`, {
          token: bob.token,
        }),
        404,
        'FILE.NOT_FOUND',
      );
    });

    it('puts a legal hold on the current version, which S3 then refuses to delete, until an admin lifts it', async () => {
      const file = await uploaded(randomBytes(100));
      const key = `files/${alice.id}/${file.id}`;
      expectProblem(
        await send(app, 'PUT', `/v1/files/${file.id}/legal-hold`, { token: alice.token, json: { enabled: true } }),
        403,
        'AUTH.FORBIDDEN',
      );
      const held = await send(app, 'PUT', `/v1/files/${file.id}/legal-hold`, { token: admin, json: { enabled: true } });
      expect([held.status, held.body]).to.deep.equal([200, { legalHold: { enabled: true } }]);
      expect((await head(key, file.versionId)).ObjectLockLegalHoldStatus).to.equal('ON');
      const refused = await rejectionOf(
        s3.send(new DeleteObjectCommand({ Bucket: bucket.name, Key: key, VersionId: file.versionId })),
      );
      expect(refused).to.include({ name: 'AccessDenied' });

      const lifted = await send(app, 'PUT', `/v1/files/${file.id}/legal-hold`, {
        token: admin,
        json: { enabled: false },
      });
      expect([lifted.status, lifted.body]).to.deep.equal([200, { legalHold: { enabled: false } }]);
      expect((await head(key, file.versionId)).ObjectLockLegalHoldStatus).to.equal('OFF');
      await s3.send(new DeleteObjectCommand({ Bucket: bucket.name, Key: key, VersionId: file.versionId }));
      expect(await versionsOf(key)).to.deep.equal({ versions: [], markers: [] });
    });

    it('retains the current version in governance mode: DELETE /v1/files/{id} answers 204 but S3 only lays a delete marker on it', async () => {
      const file = await uploaded(randomBytes(100));
      const key = `files/${alice.id}/${file.id}`;
      const retainUntil = new Date(Date.now() + DAY).toISOString();
      const set = await send(app, 'PUT', `/v1/files/${file.id}/retention`, {
        token: admin,
        json: { mode: 'GOVERNANCE', retainUntil },
      });
      expect([set.status, set.body]).to.deep.equal([200, { retention: { mode: 'GOVERNANCE', retainUntil } }]);
      const stored = await head(key, file.versionId);
      expect([stored.ObjectLockMode, stored.ObjectLockRetainUntilDate?.getTime()]).to.deep.equal([
        'GOVERNANCE',
        Date.parse(retainUntil),
      ]);
      const refused = await rejectionOf(
        s3.send(new DeleteObjectCommand({ Bucket: bucket.name, Key: key, VersionId: file.versionId })),
      );
      expect(refused).to.include({ name: 'AccessDenied' });

      expectStatus(await send(app, 'DELETE', `/v1/files/${file.id}`, { token: alice.token }), 204);
      expectProblem(await send(app, 'GET', `/v1/files/${file.id}`, { token: alice.token }), 404, 'FILE.NOT_FOUND');
      // The retained bytes stay, now noncurrent under a delete marker; the bucket's cleanup bypasses governance.
      expect(await versionsOf(key)).to.deep.equal({ versions: [file.versionId], markers: [true] });
    });
  });

  describe('with small limits (multipart above 5 MiB, at most 16 MiB)', () => {
    let app: Portico;
    let alice: Person;
    before(async () => {
      app = await startApp({
        MULTIPART_THRESHOLD_BYTES: String(5 * MIB),
        MULTIPART_PART_BYTES: String(5 * MIB),
        // No restore window and a purge every second: a deleted user's objects go within the test.
        USER_RESTORE_DAYS: '0',
        USER_PURGE_INTERVAL_SECONDS: '1',
        MAX_UPLOAD_BYTES: String(16 * MIB),
      });
      ({ alice } = await people(app));
    });
    const start = async (name: string) =>
      (
        await send(app, 'POST', '/v1/files/uploads', {
          token: alice.token,
          json: { name, contentType: 'video/mp4', size: 11 * MIB },
        })
      ).body;
    const putPart = async (url: string, bytes: Buffer<ArrayBuffer>) => {
      const res = await fetch(url, { method: 'PUT', body: bytes });
      expect(res.status).to.equal(200);
      return unquote(res.headers.get('etag'));
    };

    it('resumes a direct multipart upload from the parts S3 lists, then assembles it', async () => {
      const parts = [randomBytes(5 * MIB), randomBytes(5 * MIB), randomBytes(MIB)];
      const { file, upload } = await start('m.bin');
      expect([upload.kind, upload.parts.length]).to.deep.equal(['multipart', 3]);
      const etags = [await putPart(upload.parts[0].url, parts[0]!), '', await putPart(upload.parts[2].url, parts[2]!)];
      const arrived = (await send(app, 'GET', `/v1/files/${file.id}/upload`, { token: alice.token })).body.parts;
      expect(arrived).to.deep.equal([
        { partNumber: 1, etag: etags[0], size: 5 * MIB },
        { partNumber: 3, etag: etags[2], size: MIB },
      ]);
      expectProblem(
        await send(app, 'POST', `/v1/files/${file.id}/complete`, { token: alice.token, json: {} }),
        400,
        'FILE.UPLOAD_INCOMPLETE',
      );
      etags[1] = await putPart(upload.parts[1].url, parts[1]!);
      const refs = etags.map((etag, i) => ({ partNumber: i + 1, etag }));
      const done = await send(app, 'POST', `/v1/files/${file.id}/complete`, {
        token: alice.token,
        json: { parts: refs },
      });
      expect(done.body.file).to.include({ status: 'ready', size: 11 * MIB });
      expect((await download(`${app.url}/v1/files/${file.id}/content`, bearer(alice.token))).sha256).to.equal(
        sha256(Buffer.concat(parts)),
      );
      await expectKms(`files/${alice.id}/${file.id}`);
    });

    it('aborts a direct multipart upload: S3 has no upload and no object left', async () => {
      const { file, upload } = await start('a.bin');
      await putPart(upload.parts[0].url, randomBytes(5 * MIB));
      const key = `files/${alice.id}/${file.id}`;
      const open = async () =>
        ((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket.name, Prefix: key }))).Uploads ?? []).map(
          (u) => u.UploadId,
        );
      expect(await open()).to.deep.equal([upload.uploadId]);
      expectStatus(await send(app, 'DELETE', `/v1/files/${file.id}/upload`, { token: alice.token }), 204);
      expect(await open()).to.deep.equal([]);
      expect(await keysUnder(key)).to.deep.equal([]);
      expectProblem(await send(app, 'GET', `/v1/files/${file.id}`, { token: alice.token }), 404, 'FILE.NOT_FOUND');
    });

    it('answers 413 for a body past the limit and keeps no object and no row', async () => {
      const { alice } = await people(app);
      const declared = await streamRequest(app.url, '/v1/files?name=big', {
        headers: { ...bearer(alice.token), 'content-length': String(17 * MIB) },
        body: patternStream(17 * MIB),
      });
      expect([declared.status, declared.body.code]).to.deep.equal([413, 'FILE.TOO_LARGE']);
      const chunked = await streamRequest(app.url, '/v1/files?name=big', {
        headers: bearer(alice.token),
        body: patternStream(24 * MIB),
      });
      expect([chunked.status, chunked.body.code]).to.deep.equal([413, 'FILE.TOO_LARGE']);
      expect(await keysUnder(`files/${alice.id}/`)).to.deep.equal([]);
      expect(
        (await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket.name, Prefix: `files/${alice.id}/` })))
          .Uploads ?? [],
      ).to.deep.equal([]);
      expect((await send(app, 'GET', '/v1/files', { token: alice.token })).body.items).to.deep.equal([]);
    });

    it('deletes the objects of a deleted user once the restore window is over', async () => {
      const { alice: carol, bob: dave } = await people(app);
      for (const who of [carol, carol, dave]) {
        expectStatus(
          await streamRequest(app.url, '/v1/files?name=f', {
            headers: { ...bearer(who.token), 'content-length': '4' },
            body: bytesStream(Buffer.from('data')),
          }),
          201,
        );
      }
      expect(await keysUnder(`files/${carol.id}/`)).to.have.length(2);
      expectStatus(await send(app, 'DELETE', `/v1/users/${carol.id}`, { token: carol.token }), 204);
      await until(async () => (await keysUnder(`files/${carol.id}/`)).length === 0, { everyMs: 200, withinMs: 10_000 });
      expect(await keysUnder(`files/${carol.id}/`)).to.deep.equal([]);
      expect(await keysUnder(`files/${dave.id}/`)).to.have.length(1);
    });
  });
});
