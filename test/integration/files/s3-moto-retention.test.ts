import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { HeadObjectCommand, ListMultipartUploadsCommand, PutObjectCommand, PutObjectLockConfigurationCommand, type S3Client } from '@aws-sdk/client-s3';
import { Container } from 'inversify';
import nock from 'nock';
import { v7 } from 'uuid';
import { S3FileStore } from '../../../src/adapters/files/s3/s3-file-store.js';
import { multipartEtag } from '../../../src/adapters/files/store-rules.js';
import { FileKey } from '../../../src/domain/file/file-key.js';
import type { Actor } from '../../../src/domain/user/user.js';
import { parseConfig } from '../../../src/infrastructure/config.js';
import { filesModule } from '../../../src/infrastructure/container/files-module.js';
import { Resources } from '../../../src/infrastructure/container/resources.js';
import { createLogger } from '../../../src/infrastructure/logging.js';
import { TOKENS } from '../../../src/infrastructure/tokens.js';
import { aFileCore } from '../../support/file-core.js';
import { type Moto, motoEnv, type TestBucket, useMotoBucket } from '../../support/moto.js';
import { rejectionOf } from '../../support/rejection.js';
import { BUCKET, expectS3, fakeS3Client, type Reply, useFakeS3Key } from './fake-s3.js';

const MIB = 1024 * 1024;
const DAY = 86_400_000;
const settings = { sse: { mode: 'AES256' as const }, multipartThresholdBytes: 5 * MIB, partBytes: 5 * MIB, queueSize: 2, presignMaxSeconds: 900 };
const md5 = (b: Buffer, encoding: 'hex' | 'base64' = 'hex') => createHash('md5').update(b).digest(encoding);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const inMiB = (bytes: Buffer) => Readable.from(Array.from({ length: Math.ceil(bytes.length / MIB) }, (_, i) => bytes.subarray(i * MIB, (i + 1) * MIB)));
const readAll = async (body: Readable) => Buffer.concat(await body.toArray());
const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const alice: Actor = { id: v7(), role: 'user' };

describe('S3FileStore in a bucket with a default retention', function () {
  this.timeout(60_000);

  describe('on moto: object lock with a default retention of GOVERNANCE 1 day', () => {
    const s3 = useMotoBucket({ objectLock: true });
    let moto: Moto;
    let client: S3Client;
    let bucket: TestBucket;
    let key: FileKey;
    const storeWith = (checksums: boolean) => new S3FileStore(client, { ...settings, bucket: bucket.name, checksums });
    /** What moto says it locked, straight from HeadObject. */
    const lockOf = async (key: FileKey) => {
      const out = await client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: key.value }));
      return { mode: out.ObjectLockMode, retainUntil: out.ObjectLockRetainUntilDate };
    };
    const expectDefaultRetention = async (key: FileKey, putAt: number) => {
      const { mode, retainUntil } = await lockOf(key);
      expect(mode).to.equal('GOVERNANCE');
      // moto keeps whole seconds.
      expect(retainUntil?.getTime()).to.be.within(putAt + DAY - 60_000, Date.now() + DAY + 60_000);
    };
    const uploadsLeft = async () => (await client.send(new ListMultipartUploadsCommand({ Bucket: bucket.name }))).Uploads ?? [];

    /** The store the composition root makes from this config, with the SDK finding moto through the environment. */
    async function storeFromConfig(retentionDays: string | undefined) {
      const config = parseConfig({
        DB_DRIVER: 'memory',
        FILE_STORE: 's3',
        S3_BUCKET: bucket.name,
        S3_REGION: moto.region,
        S3_FORCE_PATH_STYLE: 'true',
        S3_LOCK_RETENTION_DAYS: retentionDays,
      });
      const resources = new Resources();
      const container = new Container();
      const logger = createLogger('silent', new Writable({ write: (_chunk, _encoding, done) => done() }));
      container.load(await filesModule(config, logger, resources));
      return { store: container.get(TOKENS.FileStore), resources };
    }

    before(async () => {
      ({ moto, client, bucket } = s3);
      const DefaultRetention = { Mode: 'GOVERNANCE' as const, Days: 1 };
      await client.send(new PutObjectLockConfigurationCommand({ Bucket: bucket.name, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention } } }));
    });
    beforeEach(() => {
      key = FileKey.for(v7(), v7());
    });

    for (const known of [true, false]) {
      const kind = known ? 'streamed with its length' : 'of unknown length (buffered)';
      it(`without checksums, moto refuses a PutObject ${kind} with 400 MissingUploadObjectWithObjectLockHeaders and keeps nothing`, async () => {
        const bytes = randomBytes(MIB);
        const error = await rejectionOf(storeWith(false).put(key, { body: inMiB(bytes), contentType: 'text/plain', contentLength: known ? bytes.length : undefined }));
        expect([error.name, statusOf(error)]).to.deep.equal(['MissingUploadObjectWithObjectLockHeaders', 400]);
        expect((await rejectionOf(storeWith(false).head(key))).code).to.equal('FILE.NOT_FOUND');
      });
    }

    it('with checksums, streams a PutObject of known length (CRC32 trailer): stored byte for byte under the default retention', async () => {
      const bytes = randomBytes(4 * MIB);
      const putAt = Date.now();
      const stored = await storeWith(true).put(key, { body: inMiB(bytes), contentType: 'video/mp4', contentLength: bytes.length });
      // The MD5 of the bytes themselves: moto stored the decoded body, not its aws-chunked framing.
      expect(stored.etag).to.equal(md5(bytes));
      const got = await storeWith(true).get(key);
      expect([got.size, got.contentType, sha256(await readAll(got.body))]).to.deep.equal([bytes.length, 'video/mp4', sha256(bytes)]);
      await expectDefaultRetention(key, putAt);
    });

    it('with checksums, sends a small body of unknown length as one PutObject with Content-MD5, under the default retention', async () => {
      const bytes = randomBytes(2 * MIB);
      const putAt = Date.now();
      const stored = await storeWith(true).put(key, { body: inMiB(bytes), contentType: 'text/plain' });
      expect(stored.etag).to.equal(md5(bytes));
      expect(sha256(await readAll((await storeWith(true).get(key)).body))).to.equal(sha256(bytes));
      await expectDefaultRetention(key, putAt);
      expect(await uploadsLeft()).to.deep.equal([]);
    });

    it('with checksums, uploads 12 MiB as three parts with Content-MD5, read back byte for byte (moto applies no default retention to an object completed from parts; S3 does)', async () => {
      const bytes = randomBytes(12 * MIB);
      const stored = await storeWith(true).put(key, { body: inMiB(bytes), contentType: 'video/mp4', contentLength: bytes.length });
      const parts = [0, 1, 2].map((i) => bytes.subarray(i * 5 * MIB, (i + 1) * 5 * MIB));
      expect(stored.etag).to.equal(multipartEtag(parts.map((p) => md5(p))));
      expect(sha256(await readAll((await storeWith(true).get(key)).body))).to.equal(sha256(bytes));
      expect(await lockOf(key)).to.deep.equal({ mode: undefined, retainUntil: undefined });
      expect(await uploadsLeft()).to.deep.equal([]);
    });

    it('without checksums, moto takes the parts of a multipart upload all the same (it does not check UploadPart; S3 refuses each part)', async () => {
      const bytes = randomBytes(11 * MIB);
      const stored = await storeWith(false).put(key, { body: inMiB(bytes), contentType: 'video/mp4', contentLength: bytes.length });
      expect(stored.etag).to.match(/^[0-9a-f]{32}-3$/);
      expect(sha256(await readAll((await storeWith(false).get(key)).body))).to.equal(sha256(bytes));
    });

    it('takes a PutObject whose Content-MD5 is not that of its body (moto checks only that one is there; S3 answers BadDigest)', async () => {
      const Body = randomBytes(1000);
      const put = new PutObjectCommand({ Bucket: bucket.name, Key: key.value, Body, ContentLength: Body.length, ContentMD5: md5(randomBytes(1000), 'base64') });
      expect((await client.send(put)).ETag).to.equal(`"${md5(Body)}"`);
    });

    it('gets checksums from the composition root exactly when S3_LOCK_RETENTION_DAYS is set', async () => {
      const env = motoEnv(moto);
      const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
      Object.assign(process.env, env);
      const opened = [await storeFromConfig('1'), await storeFromConfig(undefined)];
      try {
        const [withDays, withoutDays] = opened.map((o) => o.store);
        const bytes = randomBytes(1000);
        const stored = await withDays!.put(key, { body: Readable.from([bytes]), contentType: 'text/plain', contentLength: bytes.length });
        expect(stored.etag).to.equal(md5(bytes));
        const other = FileKey.for(v7(), v7());
        const error = await rejectionOf(withoutDays!.put(other, { body: Readable.from([bytes]), contentType: 'text/plain', contentLength: bytes.length }));
        expect(error.name).to.equal('MissingUploadObjectWithObjectLockHeaders');
      } finally {
        for (const o of opened) await o.resources.close();
        for (const [name, value] of Object.entries(saved)) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
    });

    it('refuses a direct PUT to a pre-signed URL without Content-MD5 (moto 400 MissingUploadObjectWithObjectLockHeaders, as S3); completing then answers FILE.UPLOAD_INCOMPLETE', async () => {
      const { useCases } = aFileCore({ store: storeWith(true) });
      const bytes = randomBytes(1000);
      const { file, upload } = await useCases.startUpload.execute({ actor: alice, name: 'a.csv', contentType: 'text/csv', size: bytes.length });
      if (upload.kind !== 'single') throw new Error('expected a single pre-signed PUT');
      const res = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: bytes });
      expect([res.status, /<Code>(\w+)<\/Code>/.exec(await res.text())?.[1]]).to.deep.equal([400, 'MissingUploadObjectWithObjectLockHeaders']);
      const error = await rejectionOf(useCases.completeUpload.execute({ actor: alice, id: file.id }));
      expect([error.code, error.message]).to.deep.equal(['FILE.UPLOAD_INCOMPLETE', 'Nothing has been uploaded for this file yet.']);
    });

    it('restoring a version is refused here (moto wants Content-MD5 on CopyObject too: MissingUploadObjectWithObjectLockHeaders; S3 untested; checksums do not cover it)', async () => {
      const store = storeWith(true);
      const first = await store.put(key, { body: Readable.from([randomBytes(100)]), contentType: 'text/plain', contentLength: 100 });
      await store.put(key, { body: Readable.from([randomBytes(200)]), contentType: 'text/plain', contentLength: 200 });
      const error = await rejectionOf(store.restoreVersion(key, first.versionId ?? ''));
      expect([error.name, statusOf(error)]).to.deep.equal(['MissingUploadObjectWithObjectLockHeaders', 400]);
    });
  });

  /** moto checks no part for a checksum, nor any checksum's value: the headers as sent. */
  describe('requests sent, to nock', () => {
    let key: FileKey;
    let path: string;
    const created: Reply = [200, '<InitiateMultipartUploadResult><UploadId>u1</UploadId></InitiateMultipartUploadResult>'];
    const completed: Reply = [200, '<CompleteMultipartUploadResult><ETag>"whole-3"</ETag></CompleteMultipartUploadResult>'];
    const stored: Reply = [200, '', { etag: '"e"' }];
    const storeWith = (checksums: boolean) => new S3FileStore(fakeS3Client(), { ...settings, bucket: BUCKET, checksums });

    const fake = useFakeS3Key();
    beforeEach(() => ({ key, path } = fake));

    for (const checksums of [true, false]) {
      const on = checksums ? 'on' : 'off';

      it(`with checksums ${on}, every UploadPart carries ${checksums ? 'the Content-MD5 of its own bytes' : 'no Content-MD5'}`, async () => {
        const bytes = randomBytes(12 * MIB);
        expectS3('POST', path, ['uploads'], () => created);
        const parts = expectS3('PUT', path, ['uploadId', 'partNumber'], (_a, seen) => [200, '', { etag: `"e${seen.query.get('partNumber')}"` }], 3);
        expectS3('POST', path, ['uploadId'], () => completed);
        await storeWith(checksums).put(key, { body: inMiB(bytes), contentType: 'video/mp4', contentLength: bytes.length });
        const sent = parts.map((p) => [Number(p.query.get('partNumber')), p.headers['content-md5']] as const).sort(([a], [b]) => a - b);
        const partBytes = (n: number) => bytes.subarray((n - 1) * 5 * MIB, n * 5 * MIB);
        expect(sent).to.deep.equal([1, 2, 3].map((n) => [n, checksums ? md5(partBytes(n), 'base64') : undefined]));
      });

      it(`with checksums ${on}, a small body of unknown length goes as one PutObject ${checksums ? 'with the Content-MD5 of its bytes' : 'without Content-MD5'}`, async () => {
        const bytes = randomBytes(2 * MIB);
        const put = expectS3('PUT', path, [], () => stored);
        await storeWith(checksums).put(key, { body: inMiB(bytes), contentType: 'text/plain' });
        expect(put.map((p) => p.headers['content-md5'])).to.deep.equal([checksums ? md5(bytes, 'base64') : undefined]);
      });
    }

    it('with checksums on, the streamed PutObject goes aws-chunked with the CRC32 of the body in a trailer, and no Content-MD5', async () => {
      const text = randomBytes(500).toString('hex');
      const put = expectS3('PUT', path, [], () => stored);
      await storeWith(true).put(key, { body: Readable.from([Buffer.from(text)]), contentType: 'text/plain', contentLength: text.length });
      const { headers, body } = put[0]!;
      const wanted = { 'x-amz-sdk-checksum-algorithm': 'CRC32', 'x-amz-trailer': 'x-amz-checksum-crc32', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '1000' };
      expect(headers).to.include(wanted);
      expect(headers).to.not.have.any.keys('content-md5', 'content-length');
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(text));
      expect(body).to.include(text).and.include(`x-amz-checksum-crc32:${crc.toString('base64')}`);
    });

    it('with checksums off, the streamed PutObject is the plain body with its Content-Length and no checksum header', async () => {
      const text = randomBytes(500).toString('hex');
      const put = expectS3('PUT', path, [], () => stored);
      await storeWith(false).put(key, { body: Readable.from([Buffer.from(text)]), contentType: 'text/plain', contentLength: text.length });
      const { headers, body } = put[0]!;
      expect([headers['content-length'], body]).to.deep.equal(['1000', text]);
      expect(Object.keys(headers).filter((h) => /^(content-md5|content-encoding|x-amz-trailer|x-amz-sdk-checksum|x-amz-checksum)/.test(h))).to.deep.equal([]);
    });
  });
});
