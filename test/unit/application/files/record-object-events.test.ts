import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { v7 } from 'uuid';
import { InMemoryFileCatalog } from '../../../../src/adapters/persistence/in-memory/in-memory-file-catalog.js';
import { RecordObjectCreated } from '../../../../src/application/files/record-object-created.js';
import { RecordObjectRemoved } from '../../../../src/application/files/record-object-removed.js';
import type { StoredFile } from '../../../../src/domain/file/stored-file.js';
import type { Actor } from '../../../../src/domain/user/user.js';
import { ManualClock } from '../../../support/fakes.js';
import { bytesStream } from '../../../support/file-bytes.js';
import { aFileCore } from '../../../support/file-core.js';

const alice: Actor = { id: v7(), role: 'user' };

/** A catalog where the API writes a row once, right between the worker's read and its write. */
class RacingCatalog extends InMemoryFileCatalog {
  raceOnce?: () => Promise<void>;
  override async update(file: StoredFile, expectedVersion?: number): Promise<void> {
    const race = this.raceOnce;
    this.raceOnce = undefined;
    if (race && expectedVersion !== undefined) await race();
    return super.update(file, expectedVersion);
  }
}

function setUp() {
  const clock = new ManualClock(new Date());
  const catalog = new RacingCatalog();
  const core = aFileCore({ clock, catalog });
  const created = new RecordObjectCreated(core.catalog, core.store, clock);
  const removed = new RecordObjectRemoved(core.catalog, core.store, clock);
  /** A direct upload started through the API; its object is then written as a client's PUT would. */
  const startUpload = async (size: number) => {
    const { file } = await core.useCases.startUpload.execute({
      actor: alice,
      name: 'a.bin',
      contentType: 'text/plain',
      size,
    });
    return file;
  };
  const putObject = (file: StoredFile, size: number) =>
    core.store.put(file.key(), {
      body: bytesStream(randomBytes(size)),
      contentType: 'text/plain',
      contentLength: size,
    });
  /** A file uploaded through the API: ready, with the checksum the server computed. */
  const upload = (size: number) =>
    core.useCases.uploadFile.execute({
      actor: alice,
      name: 'b.bin',
      contentLength: size,
      body: bytesStream(randomBytes(size)),
    });
  return { ...core, clock, catalog, created, removed, startUpload, putObject, upload };
}

describe('RecordObjectCreated and RecordObjectRemoved', () => {
  it('marks a direct upload ready when its object arrived with the declared size, without a call to complete', async () => {
    const w = setUp();
    const file = await w.startUpload(1000);
    const stored = await w.putObject(file, 1000);
    expect(await w.created.execute({ key: file.key().value })).to.equal('ready');
    const row = await w.catalog.findById(file.id);
    expect([row?.status, row?.size, row?.versionId, row?.checksum]).to.deep.equal([
      'ready',
      1000,
      stored.versionId,
      undefined,
    ]);
  });

  it('answers a second delivery of the same event with no write', async () => {
    const w = setUp();
    const file = await w.startUpload(10);
    await w.putObject(file, 10);
    await w.created.execute({ key: file.key().value });
    const version = (await w.catalog.findById(file.id))?.version;
    expect(await w.created.execute({ key: file.key().value })).to.equal('unchanged');
    expect((await w.catalog.findById(file.id))?.version).to.equal(version);
  });

  it('leaves a pending file whose object has another size than declared to CompleteUpload and the sweep', async () => {
    const w = setUp();
    const file = await w.startUpload(10);
    await w.putObject(file, 11);
    expect(await w.created.execute({ key: file.key().value })).to.equal('mismatch');
    expect((await w.catalog.findById(file.id))?.status).to.equal('pending');
  });

  it('keeps a pending file whose object has not arrived, on either event', async () => {
    const w = setUp();
    const file = await w.startUpload(10);
    expect(await w.created.execute({ key: file.key().value })).to.equal('unchanged');
    expect(await w.removed.execute({ key: file.key().value })).to.equal('unchanged');
    expect((await w.catalog.findById(file.id))?.status).to.equal('pending');
  });

  it('marks gone a ready file whose object was deleted outside the API, keeping its row and its versions', async () => {
    const w = setUp();
    const file = await w.upload(7);
    await w.store.delete(file.key());
    w.clock.advance(1000);
    expect(await w.removed.execute({ key: file.key().value })).to.equal('gone');
    const row = await w.catalog.findById(file.id);
    expect([row?.status, row?.size, row?.versionId, row?.checksum, row?.updatedAt]).to.deep.equal([
      'gone',
      7,
      file.versionId,
      file.checksum,
      w.clock.now(),
    ]);
    const versions = await w.useCases.listVersions.execute({ actor: alice, id: file.id });
    expect(versions.map((v) => [v.versionId, v.isLatest])).to.deep.equal([[file.versionId, false]]);
  });

  it('answers a second removal of a gone file with no write', async () => {
    const w = setUp();
    const file = await w.upload(7);
    await w.store.delete(file.key());
    await w.removed.execute({ key: file.key().value });
    const version = (await w.catalog.findById(file.id))?.version;
    expect(await w.removed.execute({ key: file.key().value })).to.equal('unchanged');
    expect(await w.created.execute({ key: file.key().value })).to.equal('unchanged');
    expect((await w.catalog.findById(file.id))?.version).to.equal(version);
  });

  it('makes a gone file ready again when an object is back under its key, with the size and version from the store', async () => {
    const w = setUp();
    const file = await w.upload(7);
    await w.store.delete(file.key());
    await w.removed.execute({ key: file.key().value });
    const back = await w.putObject(file, 9);
    expect(await w.created.execute({ key: file.key().value })).to.equal('ready');
    const row = await w.catalog.findById(file.id);
    expect([row?.status, row?.size, row?.versionId, row?.checksum]).to.deep.equal([
      'ready',
      9,
      back.versionId,
      undefined,
    ]);
  });

  it('takes a delete delivered before the create it follows: the removal finds the object and keeps the row', async () => {
    const w = setUp();
    const file = await w.startUpload(5);
    await w.putObject(file, 5);
    expect(await w.removed.execute({ key: file.key().value })).to.equal('ready');
    expect(await w.created.execute({ key: file.key().value })).to.equal('unchanged');
    expect((await w.catalog.findById(file.id))?.status).to.equal('ready');
  });

  it('takes a create delivered after the delete that followed it: the stale create changes nothing', async () => {
    const w = setUp();
    const file = await w.upload(5);
    await w.store.delete(file.key());
    expect(await w.created.execute({ key: file.key().value })).to.equal('unchanged');
    expect((await w.catalog.findById(file.id))?.status).to.equal('ready');
    expect(await w.removed.execute({ key: file.key().value })).to.equal('gone');
    expect(await w.created.execute({ key: file.key().value })).to.equal('unchanged');
    expect((await w.catalog.findById(file.id))?.status).to.equal('gone');
  });

  it('records a version restored outside the API, dropping the checksum the server never computed for it', async () => {
    const w = setUp();
    const file = await w.upload(5);
    expect(file.checksum).to.be.a('string');
    const first = file.versionId as string;
    await w.putObject(file, 9);
    const restored = await w.store.restoreVersion(file.key(), first);
    expect(await w.created.execute({ key: file.key().value })).to.equal('updated');
    const row = await w.catalog.findById(file.id);
    expect([row?.versionId, row?.size, row?.checksum]).to.deep.equal([restored.versionId, 5, undefined]);
  });

  it('ignores keys outside files/ and keys whose row belongs to another owner', async () => {
    const w = setUp();
    const file = await w.upload(5);
    expect(await w.created.execute({ key: 'docs/index.html' })).to.equal('unknown');
    expect(await w.removed.execute({ key: `files/${v7()}/${file.id}` })).to.equal('unknown');
  });

  it('reads the row again when the API wrote it in between, and does not undo that write', async () => {
    const w = setUp();
    const file = await w.startUpload(4);
    await w.putObject(file, 4);
    w.catalog.raceOnce = async () => {
      const row = (await w.catalog.findById(file.id)) as StoredFile;
      row.markReady(
        { size: 4, checksum: 'c'.repeat(64), versionId: (await w.store.head(file.key())).versionId },
        new Date(),
      );
      await w.catalog.update(row);
    };
    expect(await w.created.execute({ key: file.key().value })).to.equal('unchanged');
    expect((await w.catalog.findById(file.id))?.checksum).to.equal('c'.repeat(64));
  });
});
