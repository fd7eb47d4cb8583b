import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { InMemoryFileStore } from '../../../src/adapters/files/in-memory/in-memory-file-store.js';
import { LocalDiskFileStore } from '../../../src/adapters/files/local-disk/local-disk-file-store.js';
import { S3FileStore } from '../../../src/adapters/files/s3/s3-file-store.js';
import type { SseSettings } from '../../../src/adapters/files/s3/s3-requests.js';
import { startLinkServer } from '../../support/link-server.js';
import { ShiftableClock } from '../../support/shiftable-clock.js';
import { createKmsKey, createTestBucket, motoS3Client, requireMoto, type Moto } from '../../support/moto.js';
import { s3StoreSettings } from '../../support/s3-store-settings.js';
import { fileStoreContract, type StoreAbilities } from './file-store.contract.js';

const PRESIGN_MAX_SECONDS = 900;

/** The app's own links (memory, local disk) check everything they sign. */
const strict = {
  multipartLifecycle: true,
  checksParts: true,
  checksPartOrder: true,
  bindsUploadsToKeys: true,
  enforcesSignedHeaders: true,
  refusesExpiredUrls: true,
  discardsUnfinishedRequests: true,
};

/** What moto 5.2 enforces, found by trying; docs/files.md lists where it is more lenient than S3. */
const onMoto: StoreAbilities = {
  server: 'moto',
  versions: 'full',
  objectLock: 'supported',
  multipartLifecycle: true,
  checksParts: true,
  checksPartOrder: false,
  bindsUploadsToKeys: false,
  enforcesSignedHeaders: false,
  refusesExpiredUrls: false,
  discardsUnfinishedRequests: true,
};

/** A bucket of its own per case, with versioning and object lock, written with `sse`. */
async function motoFixture(moto: Moto, sse: SseSettings) {
  const clock = new ShiftableClock();
  const client = motoS3Client(moto);
  const bucket = await createTestBucket(client, { versioning: true, objectLock: true });
  const settings = s3StoreSettings(bucket.name, { sse, presignMaxSeconds: PRESIGN_MAX_SECONDS, clock });
  const cleanup = async () => {
    await bucket.remove();
    client.destroy();
  };
  return { store: new S3FileStore(client, settings), clock, presignMaxSeconds: PRESIGN_MAX_SECONDS, cleanup };
}

describe('FileStore adapters', () => {
  let links: Awaited<ReturnType<typeof startLinkServer>>;

  before(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    links = await startLinkServer();
  });
  after(async () => {
    await links.stop();
    nock.enableNetConnect();
  });

  fileStoreContract(
    'in memory',
    { server: 'the in-memory store', versions: 'full', objectLock: 'supported', ...strict },
    async () => {
      const clock = new ShiftableClock();
      const store = new InMemoryFileStore({
        linkBaseUrl: links.baseUrl,
        presignMaxSeconds: PRESIGN_MAX_SECONDS,
        clock,
      });
      links.serve(store.links);
      return { store, clock, presignMaxSeconds: PRESIGN_MAX_SECONDS, cleanup: async () => undefined };
    },
  );

  fileStoreContract(
    'local disk',
    { server: 'local disk', versions: 'single', objectLock: 'unsupported', ...strict },
    async () => {
      const clock = new ShiftableClock();
      const root = await mkdtemp(path.join(tmpdir(), 'portico-files-'));
      const linkSecret = randomBytes(32);
      const store = new LocalDiskFileStore({
        root,
        linkBaseUrl: links.baseUrl,
        linkSecret,
        presignMaxSeconds: PRESIGN_MAX_SECONDS,
        deleteConcurrency: 4,
        clock,
      });
      links.serve(store.links);
      return {
        store,
        clock,
        presignMaxSeconds: PRESIGN_MAX_SECONDS,
        cleanup: () => rm(root, { recursive: true, force: true }),
      };
    },
  );

  describe('S3 on moto', () => {
    let moto: Moto;
    let kmsKeyId: string;
    before(async function () {
      moto = requireMoto(this);
      kmsKeyId = await createKmsKey(moto);
    });

    fileStoreContract('S3 against moto, SSE AES256', onMoto, () => motoFixture(moto, { mode: 'AES256' }));
    fileStoreContract('S3 against moto, SSE aws:kms', onMoto, () => motoFixture(moto, { mode: 'aws:kms', kmsKeyId }));
  });
});
