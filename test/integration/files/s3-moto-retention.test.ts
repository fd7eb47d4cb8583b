import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { HeadObjectCommand, PutObjectCommand, PutObjectLockConfigurationCommand } from '@aws-sdk/client-s3';
import { v7 } from 'uuid';
import { S3FileStore } from '../../../src/adapters/files/s3/s3-file-store.js';
import { multipartEtag } from '../../../src/adapters/files/store-rules.js';
import { FileKey } from '../../../src/domain/file/file-key.js';
import type { Actor } from '../../../src/domain/user/user.js';
import { parseConfig } from '../../../src/infrastructure/config.js';
import { buildContainer, closeContainer } from '../../../src/infrastructure/container/build-container.js';
import { TOKENS } from '../../../src/infrastructure/container/tokens.js';
import { createLogger } from '../../../src/infrastructure/logging.js';
import { bytesStream, md5, readAll, sha256 } from '../../support/file-bytes.js';
import { aFileCore } from '../../support/file-core.js';
import { motoEnv, openUploads, useMotoBucket } from '../../support/moto.js';
import { rejectionOf } from '../../support/rejection.js';
import { s3StoreSettings } from '../../support/s3-store-settings.js';
import { useEnv } from '../../support/ssm-trees.js';

const MIB = 1024 * 1024;
const DAY = 86_400_000;
const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const alice: Actor = { id: v7(), role: 'user' };

describe('S3FileStore in a bucket with a default retention', function () {
  this.timeout(60_000);

  describe('on moto: object lock with a default retention of GOVERNANCE 1 day', () => {
    const s3 = useMotoBucket({ objectLock: true });
    let key: FileKey;
    const storeWith = (checksums: boolean) =>
      new S3FileStore(s3.client, s3StoreSettings(s3.bucket.name, { sse: { mode: 'AES256' }, checksums }));
    /** What moto says it locked, straight from HeadObject. */
    const lockOf = async (key: FileKey) => {
      const out = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket.name, Key: key.value }));
      return { mode: out.ObjectLockMode, retainUntil: out.ObjectLockRetainUntilDate };
    };
    const expectDefaultRetention = async (key: FileKey, putAt: number) => {
      const { mode, retainUntil } = await lockOf(key);
      expect(mode).to.equal('GOVERNANCE');
      // moto keeps whole seconds.
      expect(retainUntil?.getTime()).to.be.within(putAt + DAY - 60_000, Date.now() + DAY + 60_000);
    };
    const uploadsLeft = () => openUploads(s3.client, s3.bucket.name);

    /** The store the composition root makes from this config, with the SDK finding moto through the environment. */
    async function storeFromConfig(retentionDays: string | undefined) {
      const config = parseConfig({
        DB_DRIVER: 'memory',
        FILE_STORE: 's3',
        S3_BUCKET: s3.bucket.name,
        S3_REGION: s3.moto.region,
        S3_FORCE_PATH_STYLE: 'true',
        S3_LOCK_RETENTION_DAYS: retentionDays,
      });
      const logger = createLogger('silent', new Writable({ write: (_chunk, _encoding, done) => done() }));
      const container = await buildContainer(config, logger);
      return { store: await container.getAsync(TOKENS.FileStore), close: () => closeContainer(container) };
    }

    before(async () => {
      const DefaultRetention = { Mode: 'GOVERNANCE' as const, Days: 1 };
      await s3.client.send(
        new PutObjectLockConfigurationCommand({
          Bucket: s3.bucket.name,
          ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention } },
        }),
      );
    });
    beforeEach(() => {
      key = FileKey.for(v7(), v7());
    });

    for (const known of [true, false]) {
      const kind = known ? 'streamed with its length' : 'of unknown length (buffered)';
      it(`without checksums, moto refuses a PutObject ${kind} with 400 MissingUploadObjectWithObjectLockHeaders and keeps nothing`, async () => {
        const bytes = randomBytes(MIB);
        const error = await rejectionOf(
          storeWith(false).put(key, {
            body: bytesStream(bytes, MIB),
            contentType: 'text/plain',
            contentLength: known ? bytes.length : undefined,
          }),
        );
        expect([error.name, statusOf(error)]).to.deep.equal(['MissingUploadObjectWithObjectLockHeaders', 400]);
        expect((await rejectionOf(storeWith(false).head(key))).code).to.equal('FILE.NOT_FOUND');
      });
    }

    it('with checksums, streams a PutObject of known length (CRC32 trailer): stored byte for byte under the default retention', async () => {
      const bytes = randomBytes(4 * MIB);
      const putAt = Date.now();
      const stored = await storeWith(true).put(key, {
        body: bytesStream(bytes, MIB),
        contentType: 'video/mp4',
        contentLength: bytes.length,
      });
      // The MD5 of the bytes themselves: moto stored the decoded body, not its aws-chunked framing.
      expect(stored.etag).to.equal(md5(bytes));
      const got = await storeWith(true).get(key);
      expect([got.size, got.contentType, sha256(await readAll(got.body))]).to.deep.equal([
        bytes.length,
        'video/mp4',
        sha256(bytes),
      ]);
      await expectDefaultRetention(key, putAt);
    });

    it('with checksums, sends a small body of unknown length as one PutObject with Content-MD5, under the default retention', async () => {
      const bytes = randomBytes(2 * MIB);
      const putAt = Date.now();
      const stored = await storeWith(true).put(key, { body: bytesStream(bytes, MIB), contentType: 'text/plain' });
      expect(stored.etag).to.equal(md5(bytes));
      expect(sha256(await readAll((await storeWith(true).get(key)).body))).to.equal(sha256(bytes));
      await expectDefaultRetention(key, putAt);
      expect(await uploadsLeft()).to.deep.equal([]);
    });

    it('with checksums, uploads 12 MiB as three parts with Content-MD5, read back byte for byte (moto applies no default retention to an object completed from parts; S3 does)', async () => {
      const bytes = randomBytes(12 * MIB);
      const stored = await storeWith(true).put(key, {
        body: bytesStream(bytes, MIB),
        contentType: 'video/mp4',
        contentLength: bytes.length,
      });
      const parts = [0, 1, 2].map((i) => bytes.subarray(i * 5 * MIB, (i + 1) * 5 * MIB));
      expect(stored.etag).to.equal(multipartEtag(parts.map((p) => md5(p))));
      expect(sha256(await readAll((await storeWith(true).get(key)).body))).to.equal(sha256(bytes));
      expect(await lockOf(key)).to.deep.equal({ mode: undefined, retainUntil: undefined });
      expect(await uploadsLeft()).to.deep.equal([]);
    });

    it('without checksums, moto takes the parts of a multipart upload all the same (it does not check UploadPart; S3 refuses each part)', async () => {
      const bytes = randomBytes(11 * MIB);
      const stored = await storeWith(false).put(key, {
        body: bytesStream(bytes, MIB),
        contentType: 'video/mp4',
        contentLength: bytes.length,
      });
      expect(stored.etag).to.match(/^[0-9a-f]{32}-3$/);
      expect(sha256(await readAll((await storeWith(false).get(key)).body))).to.equal(sha256(bytes));
    });

    it('takes a PutObject whose Content-MD5 is not that of its body (moto checks only that one is there; S3 answers BadDigest)', async () => {
      const Body = randomBytes(1000);
      const put = new PutObjectCommand({
        Bucket: s3.bucket.name,
        Key: key.value,
        Body,
        ContentLength: Body.length,
        ContentMD5: md5(randomBytes(1000), 'base64'),
      });
      expect((await s3.client.send(put)).ETag).to.equal(`"${md5(Body)}"`);
    });

    it('gets checksums from the composition root exactly when S3_LOCK_RETENTION_DAYS is set', async () => {
      const restoreEnv = useEnv(motoEnv(s3.moto));
      const opened = [await storeFromConfig('1'), await storeFromConfig(undefined)];
      try {
        const [withDays, withoutDays] = opened.map((o) => o.store);
        const bytes = randomBytes(1000);
        const stored = await withDays!.put(key, {
          body: Readable.from([bytes]),
          contentType: 'text/plain',
          contentLength: bytes.length,
        });
        expect(stored.etag).to.equal(md5(bytes));
        const other = FileKey.for(v7(), v7());
        const error = await rejectionOf(
          withoutDays!.put(other, {
            body: Readable.from([bytes]),
            contentType: 'text/plain',
            contentLength: bytes.length,
          }),
        );
        expect(error.name).to.equal('MissingUploadObjectWithObjectLockHeaders');
      } finally {
        for (const o of opened) await o.close();
        restoreEnv();
      }
    });

    it('refuses a direct PUT to a pre-signed URL without Content-MD5 (moto 400 MissingUploadObjectWithObjectLockHeaders, as S3); completing then answers FILE.UPLOAD_INCOMPLETE', async () => {
      const { useCases } = aFileCore({ store: storeWith(true) });
      const bytes = randomBytes(1000);
      const { file, upload } = await useCases.startUpload.execute({
        actor: alice,
        name: 'a.csv',
        contentType: 'text/csv',
        size: bytes.length,
      });
      if (upload.kind !== 'single') throw new Error('expected a single pre-signed PUT');
      const res = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: bytes });
      expect([res.status, /<Code>(\w+)<\/Code>/.exec(await res.text())?.[1]]).to.deep.equal([
        400,
        'MissingUploadObjectWithObjectLockHeaders',
      ]);
      const error = await rejectionOf(useCases.completeUpload.execute({ actor: alice, id: file.id }));
      expect([error.code, error.message]).to.deep.equal([
        'FILE.UPLOAD_INCOMPLETE',
        'Nothing has been uploaded for this file yet.',
      ]);
    });

    it('restoring a version is refused here (moto wants Content-MD5 on CopyObject too: MissingUploadObjectWithObjectLockHeaders; S3 untested; checksums do not cover it)', async () => {
      const store = storeWith(true);
      const first = await store.put(key, {
        body: Readable.from([randomBytes(100)]),
        contentType: 'text/plain',
        contentLength: 100,
      });
      await store.put(key, { body: Readable.from([randomBytes(200)]), contentType: 'text/plain', contentLength: 200 });
      const error = await rejectionOf(store.restoreVersion(key, first.versionId ?? ''));
      expect([error.name, statusOf(error)]).to.deep.equal(['MissingUploadObjectWithObjectLockHeaders', 400]);
    });
  });
});
