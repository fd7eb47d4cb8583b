import { expect } from 'chai';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { v7 } from 'uuid';
import { DiskLayout } from '../../../src/adapters/files/local-disk/disk-layout.js';
import { DiskMultipart } from '../../../src/adapters/files/local-disk/disk-multipart.js';
import { MikroOrmFileCatalog } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-file-catalog.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { migrate, openOrm } from '../../../src/adapters/persistence/mikro-orm/open-orm.js';
import { FileKey } from '../../../src/domain/file/file-key.js';
import { parseConfig } from '../../../src/infrastructure/config.js';
import { aStoredFile, aUserIn } from '../../support/builders.js';
import { filesUnder } from '../../support/file-app.js';
import { startChild } from '../../support/start-child.js';

const DAY = 86_400_000;

/** `npm run uploads:sweep` as an operator runs it, on SQLite and the local disk under DATA_DIR. */
describe('npm run uploads:sweep', function () {
  this.timeout(60_000);
  let dataDir: string;
  beforeEach(async () => (dataDir = await mkdtemp(path.join(os.tmpdir(), 'portico-sweep-cli-'))));
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  const config = () => parseConfig({ DB_DRIVER: 'sqlite', DATA_DIR: dataDir });
  const withCatalog = async <T>(
    work: (catalog: MikroOrmFileCatalog, orm: Awaited<ReturnType<typeof openOrm>>) => Promise<T>,
  ) => {
    const orm = await openOrm(config().db);
    try {
      await migrate(orm, 'up');
      return await work(new MikroOrmFileCatalog(orm), orm);
    } finally {
      await orm.close(true);
    }
  };
  /** Sets a directory and what it holds back in time, as if nothing had arrived since. */
  const age = async (dir: string, when: Date) => {
    for (const file of await filesUnder(dir)) await utimes(path.join(dir, file), when, when);
    await utimes(dir, when, when);
  };

  it('removes an upload pending past the age and a part directory nobody leads to, and keeps a young upload', async () => {
    const disk = new DiskMultipart(new DiskLayout(config().files.dir));
    const twoDaysAgo = new Date(Date.now() - 2 * DAY);
    const { abandoned, young } = await withCatalog(async (catalog, orm) => {
      const user = await aUserIn(new MikroOrmUserStore(orm));
      const file = (createdAt: Date) =>
        aStoredFile({ ownerId: user.id, status: 'pending', createdAt, updatedAt: createdAt });
      const [abandoned, young] = [file(twoDaysAgo), file(new Date())];
      for (const f of [abandoned, young]) {
        f.uploadId = await disk.create(f.key(), 'text/plain');
        await catalog.create(f);
      }
      return { abandoned, young };
    });
    const orphan = await disk.create(FileKey.for(v7(), v7()), 'text/plain');
    await writeFile(path.join(dataDir, 'files', 'uploads', orphan, `part-00001-${'a'.repeat(32)}`), 'part');
    for (const id of [abandoned.uploadId!, orphan]) await age(path.join(dataDir, 'files', 'uploads', id), twoDaysAgo);

    const run = await startChild(
      'npm',
      ['run', '--silent', 'uploads:sweep'],
      { DB_DRIVER: 'sqlite', DATA_DIR: dataDir },
      { limitMs: 45_000 },
    ).finished;

    expect(run.code, run.output).to.equal(0);
    expect(run.stdout).to.include(
      'sqlite, local store: removed 1 uploads pending for over 24 h and 1 store uploads no pending file led to',
    );
    const rows = await withCatalog(async (catalog) => [
      await catalog.findById(abandoned.id),
      await catalog.findById(young.id),
    ]);
    expect(rows.map((f) => f?.status ?? null)).to.deep.equal([null, 'pending']);
    const dirs = new Set((await filesUnder(path.join(dataDir, 'files', 'uploads'))).map((f) => f.split('/')[0]));
    expect([...dirs]).to.deep.equal([young.uploadId]);
  });
});
