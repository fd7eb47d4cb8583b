import { expect } from 'chai';
import sinon from 'sinon';
import { v7 } from 'uuid';
import { StartUpload } from '../../../../src/application/files/start-upload.js';
import { SweepAbandonedUploads } from '../../../../src/application/files/sweep-abandoned-uploads.js';
import { fileStoreUnavailable } from '../../../../src/domain/file/file-errors.js';
import { FileKey } from '../../../../src/domain/file/file-key.js';
import type { OpenUpload, UploadLeftovers } from '../../../../src/domain/ports/file-store.js';
import { aStoredFile } from '../../../support/builders.js';
import { ManualClock, uuidV7Ids } from '../../../support/fakes.js';
import { TEST_LIMITS } from '../../../support/file-core.js';
import { stubFileCatalog, stubFileStore } from '../../../support/stubs.js';

const MIB = 1024 * 1024;
const HOUR = 3_600_000;
const NOW = new Date('2026-06-01T12:00:00Z');
const AGE = 24 * HOUR;
const old = (overrides = {}) =>
  aStoredFile({ status: 'pending', createdAt: new Date(NOW.getTime() - 2 * AGE), ...overrides });

function aSweep(batchSize = 10) {
  const catalog = stubFileCatalog();
  const store = stubFileStore();
  const leftovers = {
    idleSince: sinon.stub<[Date, number], Promise<OpenUpload[]>>().resolves([]),
    discard: sinon.stub<[OpenUpload], Promise<void>>().resolves(),
  } satisfies UploadLeftovers;
  const sweep = new SweepAbandonedUploads(catalog, store, leftovers, new ManualClock(NOW), {
    abandonAfterMs: AGE,
    batchSize,
  });
  return { catalog, store, leftovers, sweep };
}

describe('SweepAbandonedUploads (interactions)', () => {
  afterEach(() => sinon.restore());

  it('asks for pending files created before now less the age, and removes each as an abort does: upload, object, row', async () => {
    const { catalog, store, sweep } = aSweep();
    const file = old({ uploadId: 'u-1' });
    catalog.listPendingCreatedBefore.resolves([file]);
    catalog.findById.resolves(file);
    expect(await sweep.execute()).to.deep.equal({ files: 1, leftovers: 0, failures: [] });
    sinon.assert.calledWith(catalog.listPendingCreatedBefore, new Date(NOW.getTime() - AGE), 10);
    sinon.assert.calledOnceWithExactly(
      store.abortMultipart,
      sinon.match((k: FileKey) => k.value === file.key().value),
      'u-1',
    );
    sinon.assert.callOrder(store.abortMultipart, store.delete, catalog.delete);
  });

  it('leaves a file completed since it was listed', async () => {
    const { catalog, store, sweep } = aSweep();
    const file = old();
    catalog.listPendingCreatedBefore.resolves([file]);
    catalog.findById.resolves(aStoredFile({ ...file, status: 'ready' }));
    expect((await sweep.execute()).files).to.equal(0);
    sinon.assert.notCalled(store.delete);
    sinon.assert.notCalled(catalog.delete);
  });

  it('goes on past a file the store cannot remove, reports it, and stops when a batch brings nothing new', async () => {
    const { catalog, store, sweep } = aSweep(2);
    const [stuck, fine] = [old(), old()];
    catalog.listPendingCreatedBefore.onFirstCall().resolves([stuck, fine]).onSecondCall().resolves([stuck]);
    catalog.findById.callsFake(async (id) => (id === stuck.id ? stuck : fine));
    store.delete.callsFake(async (key) => {
      if (key.fileId === stuck.id) throw fileStoreUnavailable();
    });
    const report = await sweep.execute();
    expect([report.files, report.failures.map((e) => (e as { code: string }).code)]).to.deep.equal([
      1,
      ['FILE.STORE_UNAVAILABLE'],
    ]);
    sinon.assert.calledTwice(catalog.listPendingCreatedBefore);
    sinon.assert.calledOnceWithExactly(catalog.delete, fine.id);
  });

  it('discards store uploads no pending file names, and keeps the one a pending file does', async () => {
    const { catalog, leftovers, sweep } = aSweep();
    const named = old({ uploadId: 'u-named' });
    const idle = (uploadId: string, key?: FileKey) => ({ uploadId, key, lastActivity: new Date(0) });
    const uploads = [idle('u-named', named.key()), idle('u-gone', FileKey.for(v7(), v7())), idle('u-keyless')];
    leftovers.idleSince.resolves(uploads);
    catalog.findById.callsFake(async (id) => (id === named.id ? named : null));
    expect(await sweep.execute()).to.deep.equal({ files: 0, leftovers: 2, failures: [] });
    expect(leftovers.discard.args.map(([u]) => u.uploadId)).to.deep.equal(['u-gone', 'u-keyless']);
  });
});

describe('StartUpload (interactions): part links', () => {
  afterEach(() => sinon.restore());

  it("signs each part with its planned length, the last one's being the rest", async () => {
    const store = stubFileStore();
    store.presignPart.resolves({ url: 'u', method: 'PUT', headers: {}, expiresAt: NOW });
    const start = new StartUpload(stubFileCatalog(), store, uuidV7Ids(), new ManualClock(), TEST_LIMITS);
    await start.execute({ actor: { id: v7(), role: 'user' }, name: 'x', contentType: 'text/plain', size: 12 * MIB });
    expect(store.presignPart.args.map(([, , n, o]) => [n, o.contentLength])).to.deep.equal([
      [1, 5 * MIB],
      [2, 5 * MIB],
      [3, 2 * MIB],
    ]);
  });
});
