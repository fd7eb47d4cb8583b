import { expect } from 'chai';
import sinon from 'sinon';
import { v7 } from 'uuid';
import { InMemoryFileStore } from '../../../../src/adapters/files/in-memory/in-memory-file-store.js';
import { CompleteUpload } from '../../../../src/application/files/complete-upload.js';
import { DeleteFile } from '../../../../src/application/files/delete-file.js';
import { DeleteUserFiles } from '../../../../src/application/files/delete-user-files.js';
import { GetDownloadUrl } from '../../../../src/application/files/get-download-url.js';
import { StartUpload } from '../../../../src/application/files/start-upload.js';
import { UploadFile } from '../../../../src/application/files/upload-file.js';
import { storeUnavailable } from '../../../../src/domain/errors.js';
import { fileStoreUnavailable } from '../../../../src/domain/file/file-errors.js';
import type { PutInput } from '../../../../src/domain/ports/file-store.js';
import type { Actor } from '../../../../src/domain/user/user.js';
import { aStoredFile } from '../../../support/builders.js';
import { ManualClock, uuidV7Ids } from '../../../support/fakes.js';
import { TEST_LIMITS } from '../../../support/file-core.js';
import { patternStream, readAll } from '../../../support/file-bytes.js';
import { rejectionOf } from '../../../support/rejection.js';
import { stubFileCatalog, stubFileStore } from '../../../support/stubs.js';

const alice: Actor = { id: v7(), role: 'user' };
const MIB = 1024 * 1024;
/** A store's put that reads the whole body, as every real store does. */
const consumingPut = async (_key: unknown, input: PutInput) => {
  await readAll(input.body);
  return { etag: 'e', versionId: 'v1' };
};

describe('UploadFile (interactions)', () => {
  afterEach(() => sinon.restore());

  function upload(limit: number) {
    const store = stubFileStore();
    const catalog = stubFileCatalog();
    const useCase = new UploadFile(catalog, store, uuidV7Ids(), new ManualClock(), { maxUploadBytes: limit });
    return { store, catalog, useCase };
  }

  it('over the limit while streaming: deletes what the store may hold and the row, and never marks it ready', async () => {
    const { store, catalog, useCase } = upload(MIB);
    store.put.callsFake(consumingPut);
    const error = await rejectionOf(useCase.execute({ actor: alice, name: 'big', body: patternStream(4 * MIB) }));
    expect(error.code).to.equal('FILE.TOO_LARGE');
    const created = catalog.create.firstCall.args[0];
    sinon.assert.calledOnceWithExactly(
      store.delete,
      sinon.match((key) => key.value === created.key().value),
    );
    sinon.assert.calledOnceWithExactly(catalog.delete, created.id);
    sinon.assert.notCalled(catalog.update);
  });

  it('with a declared length over the limit: touches neither the catalog nor the store', async () => {
    const { store, catalog, useCase } = upload(MIB);
    const error = await rejectionOf(
      useCase.execute({ actor: alice, name: 'big', contentLength: MIB + 1, body: patternStream(MIB + 1) }),
    );
    expect(error.code).to.equal('FILE.TOO_LARGE');
    sinon.assert.notCalled(catalog.create);
    sinon.assert.notCalled(store.put);
  });

  it('when the store fails: cleans up and answers the store failure', async () => {
    const { store, catalog, useCase } = upload(MIB);
    store.put.rejects(fileStoreUnavailable());
    const error = await rejectionOf(
      useCase.execute({ actor: alice, name: 'x', contentLength: 10, body: patternStream(10) }),
    );
    expect(error.code).to.equal('FILE.STORE_UNAVAILABLE');
    sinon.assert.calledOnce(store.delete);
    sinon.assert.calledOnce(catalog.delete);
  });

  it('creates the row before streaming, and marks it ready with what the meter measured', async () => {
    const { store, catalog, useCase } = upload(MIB);
    store.put.callsFake(consumingPut);
    const file = await useCase.execute({
      actor: alice,
      name: 'x',
      contentType: 'text/plain',
      contentLength: 1000,
      body: patternStream(1000),
    });
    sinon.assert.callOrder(catalog.create, store.put, catalog.update);
    expect(store.put.firstCall.args[1]).to.deep.include({ contentType: 'text/plain', contentLength: 1000 });
    expect(catalog.update.firstCall.args[0]).to.deep.include({
      status: 'ready',
      size: 1000,
      versionId: 'v1',
      checksum: file.checksum,
    });
  });

  it('keeps nothing when the database fails after the bytes were stored', async () => {
    const { store, catalog, useCase } = upload(MIB);
    store.put.callsFake(consumingPut);
    catalog.update.rejects(storeUnavailable());
    expect(
      (await rejectionOf(useCase.execute({ actor: alice, name: 'x', contentLength: 5, body: patternStream(5) }))).code,
    ).to.equal('DB.UNAVAILABLE');
    sinon.assert.calledOnce(store.delete);
  });
});

describe('DeleteUserFiles (interactions)', () => {
  afterEach(() => sinon.restore());

  it(`never has more than FILE_DELETE_CONCURRENCY deletes in flight, and deletes rows only after the bytes`, async () => {
    const store = new InMemoryFileStore({ deleteConcurrency: 3 });
    let inFlight = 0;
    let most = 0;
    const remove = sinon.stub(store, 'delete').callsFake(async () => {
      most = Math.max(most, (inFlight += 1));
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
    });
    const catalog = stubFileCatalog();
    const files = Array.from({ length: 20 }, () => aStoredFile({ ownerId: alice.id }));
    catalog.listByOwner.resolves(files);
    catalog.delete.callsFake(async () => {
      expect(remove.callCount, 'every object deleted before the first row').to.equal(20);
      return true;
    });
    await new DeleteUserFiles(catalog, store).execute(alice.id);
    expect(most).to.equal(3);
    expect(catalog.delete.args.map(([id]) => id)).to.deep.equal(files.map((f) => f.id));
  });

  it('keeps every row when a delete fails, so the deletion can run again', async () => {
    const store = stubFileStore();
    const catalog = stubFileCatalog();
    catalog.listByOwner.resolves([
      aStoredFile({ ownerId: alice.id }),
      aStoredFile({ ownerId: alice.id, status: 'pending', uploadId: 'u-9' }),
    ]);
    store.deleteMany.rejects(fileStoreUnavailable());
    expect((await rejectionOf(new DeleteUserFiles(catalog, store).execute(alice.id))).code).to.equal(
      'FILE.STORE_UNAVAILABLE',
    );
    sinon.assert.calledOnceWithExactly(store.abortMultipart, sinon.match.any, 'u-9');
    sinon.assert.notCalled(catalog.delete);
  });
});

describe('file use cases and ownership (interactions)', () => {
  afterEach(() => sinon.restore());

  it("never asks the store to sign or delete another user's file", async () => {
    const store = stubFileStore();
    const catalog = stubFileCatalog();
    catalog.findById.resolves(aStoredFile());
    const urls = new GetDownloadUrl(catalog, store, TEST_LIMITS);
    expect((await rejectionOf(urls.execute({ actor: alice, id: v7(), disposition: (name) => name }))).code).to.equal(
      'FILE.NOT_FOUND',
    );
    expect((await rejectionOf(new DeleteFile(catalog, store).execute({ actor: alice, id: v7() }))).code).to.equal(
      'FILE.NOT_FOUND',
    );
    sinon.assert.notCalled(store.presignGet);
    sinon.assert.notCalled(store.delete);
  });

  it('deletes the bytes before the row, aborting an open upload first', async () => {
    const store = stubFileStore();
    const catalog = stubFileCatalog();
    catalog.findById.resolves(aStoredFile({ ownerId: alice.id, status: 'pending', uploadId: 'u-1' }));
    await new DeleteFile(catalog, store).execute({ actor: alice, id: v7() });
    sinon.assert.callOrder(store.abortMultipart, store.delete, catalog.delete);
  });

  it('StartUpload aborts the multipart upload it created when the row cannot be written', async () => {
    const store = stubFileStore();
    const catalog = stubFileCatalog();
    catalog.create.rejects(storeUnavailable());
    const start = new StartUpload(catalog, store, uuidV7Ids(), new ManualClock(), TEST_LIMITS);
    const error = await rejectionOf(
      start.execute({ actor: alice, name: 'x', contentType: 'text/plain', size: 20 * MIB }),
    );
    expect(error.code).to.equal('DB.UNAVAILABLE');
    sinon.assert.calledOnceWithExactly(store.abortMultipart, sinon.match.any, 'upload-1');
    sinon.assert.notCalled(store.presignPart);
  });

  it('CompleteUpload deletes an object of the wrong size and keeps the file pending', async () => {
    const store = stubFileStore();
    const catalog = stubFileCatalog();
    const file = aStoredFile({
      ownerId: alice.id,
      status: 'pending',
      size: 20 * MIB,
      uploadId: 'u-1',
      checksum: undefined,
    });
    catalog.findById.resolves(file);
    store.head.resolves({ size: 19 * MIB, etag: 'e', contentType: 'text/plain', lastModified: new Date() });
    const parts = [{ partNumber: 1, etag: 'a' }];
    const error = await rejectionOf(
      new CompleteUpload(catalog, store, new ManualClock()).execute({ actor: alice, id: file.id, parts }),
    );
    expect(error.code).to.equal('FILE.UPLOAD_INCOMPLETE');
    sinon.assert.calledOnceWithExactly(store.completeMultipart, sinon.match.any, 'u-1', parts);
    sinon.assert.callOrder(store.completeMultipart, store.head, store.delete, catalog.update);
    expect(catalog.update.firstCall.args[0]).to.deep.include({ status: 'pending', uploadId: undefined });
  });

  it('CompleteUpload without parts does not complete while the parts that arrived fall short', async () => {
    const store = stubFileStore();
    const catalog = stubFileCatalog();
    catalog.findById.resolves(aStoredFile({ ownerId: alice.id, status: 'pending', size: 12 * MIB, uploadId: 'u-1' }));
    store.listParts.resolves([
      { partNumber: 1, etag: 'a', size: 5 * MIB },
      { partNumber: 3, etag: 'c', size: 2 * MIB },
    ]);
    const error = await rejectionOf(
      new CompleteUpload(catalog, store, new ManualClock()).execute({ actor: alice, id: v7() }),
    );
    expect(error.code).to.equal('FILE.UPLOAD_INCOMPLETE');
    sinon.assert.notCalled(store.completeMultipart);
  });
});
