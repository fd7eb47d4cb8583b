import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { v7 } from 'uuid';
import { LocalDiskFileStore } from '../../../src/adapters/files/local-disk/local-disk-file-store.js';
import { DiskLayout } from '../../../src/adapters/files/local-disk/disk-layout.js';
import { DiskMultipart } from '../../../src/adapters/files/local-disk/disk-multipart.js';
import { SignedFileLinks } from '../../../src/adapters/files/signed-links/signed-file-links.js';
import { InMemoryFileCatalog } from '../../../src/adapters/persistence/in-memory/in-memory-file-catalog.js';
import { MikroOrmFileCatalog } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-file-catalog.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { MongoFileCatalog } from '../../../src/adapters/persistence/mongo/mongo-file-catalog.js';
import { MongoUserStore } from '../../../src/adapters/persistence/mongo/mongo-user-store.js';
import { SweepAbandonedUploads } from '../../../src/application/files/sweep-abandoned-uploads.js';
import { FileKey } from '../../../src/domain/file/file-key.js';
import type { FileCatalog } from '../../../src/domain/ports/file-catalog.js';
import type { Actor } from '../../../src/domain/user/user.js';
import { aUserIn } from '../../support/builders.js';
import { ManualClock } from '../../support/fakes.js';
import { filesUnder } from '../../support/file-app.js';
import { bytesStream } from '../../support/file-bytes.js';
import { aFileCore } from '../../support/file-core.js';
import { putToLink } from '../../support/file-links.js';
import { useTestMongo } from '../../support/mongo.js';
import { forEachSqlDialect } from '../../support/sql.js';

const MIB = 1024 * 1024;
const HOUR = 3_600_000;

/** StartUpload, the app's links and the sweep over one catalog and a local-disk store in a temp dir, on a clock the test moves. */
async function aSweepWorld(catalog: FileCatalog, root: string) {
  const clock = new ManualClock(new Date());
  const secret = randomBytes(32);
  const store = new LocalDiskFileStore({
    root,
    linkBaseUrl: '/v1/files/_local',
    linkSecret: secret,
    presignMaxSeconds: 900,
    deleteConcurrency: 4,
    clock,
  });
  const links = new SignedFileLinks(store, secret, clock, catalog);
  const core = aFileCore({ store, catalog, clock, limits: { multipartThresholdBytes: 5 * MIB, partBytes: 5 * MIB } });
  const leftovers = new DiskMultipart(new DiskLayout(root));
  const sweep = new SweepAbandonedUploads(catalog, store, leftovers, clock, {
    abandonAfterMs: 24 * HOUR,
    batchSize: 2,
  });
  const put = (url: string, bytes: Buffer, contentType?: string) => putToLink(links, url, bytes, contentType);
  return { clock, store, core, sweep, put, u: core.useCases };
}

function sweepSuite(name: string, make: () => Promise<{ catalog: FileCatalog; newActor(): Promise<Actor> }>) {
  describe(`SweepAbandonedUploads on the local disk with the ${name} catalog`, function () {
    this.timeout(30_000);
    let root: string;
    beforeEach(async () => (root = await mkdtemp(path.join(os.tmpdir(), 'portico-sweep-'))));
    afterEach(() => rm(root, { recursive: true, force: true }));

    it('removes uploads pending past the age: parts, objects and rows; keeps younger uploads and ready files', async () => {
      const { catalog, newActor } = await make();
      const w = await aSweepWorld(catalog, root);
      const alice = await newActor();
      const parted = await w.u.startUpload.execute({
        actor: alice,
        name: 'big.bin',
        contentType: 'application/octet-stream',
        size: 6 * MIB,
      });
      if (parted.upload.kind !== 'multipart') throw new Error('expected a multipart plan');
      await w.put(parted.upload.parts[0]!.url, randomBytes(5 * MIB));
      const single = await w.u.startUpload.execute({ actor: alice, name: 'a.csv', contentType: 'text/csv', size: 10 });
      if (single.upload.kind !== 'single') throw new Error('expected a single PUT');
      await w.put(single.upload.url, randomBytes(10), 'text/csv');
      const ready = await w.u.uploadFile.execute({
        actor: alice,
        name: 'kept.txt',
        body: bytesStream(Buffer.from('kept')),
      });
      w.clock.advance(23 * HOUR);
      const young = await w.u.startUpload.execute({
        actor: alice,
        name: 'young.bin',
        contentType: 'text/plain',
        size: 6 * MIB,
      });

      expect(await w.sweep.execute()).to.deep.equal({ files: 0, leftovers: 0, failures: [] });
      w.clock.advance(2 * HOUR);
      expect(await w.sweep.execute()).to.deep.equal({ files: 2, leftovers: 0, failures: [] });

      expect(await catalog.findById(parted.file.id)).to.equal(null);
      expect(await catalog.findById(single.file.id)).to.equal(null);
      expect((await catalog.findById(young.file.id))?.status).to.equal('pending');
      expect((await catalog.findById(ready.id))?.status).to.equal('ready');
      const left = await filesUnder(root);
      expect(
        left.filter(
          (f) =>
            f.includes(parted.file.id) || f.includes(single.file.id) || f.startsWith(`uploads/${parted.file.uploadId}`),
        ),
      ).to.deep.equal([]);
      expect(left.filter((f) => f.startsWith('uploads/'))).to.deep.equal([
        `uploads/${young.file.uploadId}/upload.json`,
      ]);
      expect(left.filter((f) => f.startsWith('objects/'))).to.deep.equal([`objects/${ready.key().value}.json`]);
    });

    it('removes part directories no pending file leads to once idle past the age, in batches', async () => {
      const { catalog, newActor } = await make();
      const w = await aSweepWorld(catalog, root);
      const alice = await newActor();
      const orphans = [];
      for (let i = 0; i < 3; i += 1)
        orphans.push(await w.store.createMultipart(FileKey.for(alice.id, v7()), { contentType: 'text/plain' }));
      // A part that arrived after its upload was removed: a directory with no upload.json.
      const stray = path.join(root, 'uploads', v7());
      await mkdir(stray, { recursive: true });
      await writeFile(path.join(stray, `part-00001-${'f'.repeat(32)}`), 'x');
      w.clock.advance(25 * HOUR);
      // Its directory is as idle as the others (the disk keeps real time), but a pending file names it.
      const kept = await w.u.startUpload.execute({
        actor: alice,
        name: 'kept.bin',
        contentType: 'text/plain',
        size: 6 * MIB,
      });

      const report = await w.sweep.execute();
      expect([report.files, report.leftovers, report.failures]).to.deep.equal([0, 4, []]);
      const dirs = new Set((await filesUnder(path.join(root, 'uploads'))).map((f) => f.split('/')[0]));
      expect([...dirs]).to.deep.equal([kept.file.uploadId]);
      for (const id of orphans) expect(dirs.has(id)).to.equal(false);
    });
  });
}

sweepSuite('in-memory', async () => {
  const catalog = new InMemoryFileCatalog();
  return { catalog, newActor: async () => ({ id: v7(), role: 'user' }) };
});

forEachSqlDialect((dialect, orm) => {
  sweepSuite(dialect, async () => ({
    catalog: new MikroOrmFileCatalog(orm()),
    newActor: async () => ({ id: (await aUserIn(new MikroOrmUserStore(orm()))).id, role: 'user' }),
  }));
});

describe('MongoDB (MONGO_URL)', () => {
  const ormOf = useTestMongo();
  sweepSuite('MongoDB', async () => ({
    catalog: new MongoFileCatalog(ormOf()),
    newActor: async () => ({ id: (await aUserIn(new MongoUserStore(ormOf()))).id, role: 'user' }),
  }));
});
