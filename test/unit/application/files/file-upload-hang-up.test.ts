import { expect } from 'chai';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { v7 } from 'uuid';
import { InMemoryFileStore } from '../../../../src/adapters/files/in-memory/in-memory-file-store.js';
import { InMemoryFileCatalog } from '../../../../src/adapters/persistence/in-memory/in-memory-file-catalog.js';
import { meterBody } from '../../../../src/application/files/metered-body.js';
import type { FileKey } from '../../../../src/domain/file/file-key.js';
import type { StoredFile } from '../../../../src/domain/file/stored-file.js';
import type { Actor } from '../../../../src/domain/user/user.js';
import { aFileCore } from '../../../support/file-core.js';
import { rejectionOf } from '../../../support/rejection.js';

const alice: Actor = { id: v7(), role: 'user' };

/** A catalog whose inserts land only when the test says so, as a slow database's would. */
class SlowCatalog extends InMemoryFileCatalog {
  private release = () => {};
  private started = () => {};
  readonly inserting = new Promise<void>((resolve) => (this.started = resolve));

  override async create(file: StoredFile): Promise<void> {
    this.started();
    await new Promise<void>((resolve) => (this.release = resolve));
    return super.create(file);
  }

  finishInsert() {
    this.release();
  }
}

class RecordingStore extends InMemoryFileStore {
  readonly deleted: string[] = [];
  override async delete(key: FileKey): Promise<void> {
    this.deleted.push(key.value);
    return super.delete(key);
  }
}

/** A request body with some bytes in it, as node:http hands one over; a hang-up destroys it without an error. */
const aBody = () => {
  const body = new Readable({ read() {} });
  body.push(Buffer.alloc(100));
  return body;
};

describe('UploadFile when the client hangs up', function () {
  // Before the fix these waited for ever; fail fast instead of at mocha's default.
  this.timeout(2_000);

  it('fails an upload whose client hangs up while its row is written, keeping no row, deleting the key', async () => {
    const [catalog, store] = [new SlowCatalog(), new RecordingStore()];
    const { useCases } = aFileCore({ catalog, store });
    const body = aBody();
    const upload = useCases.uploadFile.execute({ actor: alice, name: 'gone', contentLength: 1000, body });
    await catalog.inserting;
    body.destroy();
    await once(body, 'close');
    catalog.finishInsert();
    const error = await rejectionOf(upload);
    expect(error.code).to.equal('FILE.UPLOAD_INCOMPLETE');
    expect(await catalog.listByOwner(alice.id)).to.deep.equal([]);
    expect(store.deleted).to.have.length(1);
  });

  it('fails at once, keeping nothing, when the body was already gone before the upload began', async () => {
    const store = new RecordingStore();
    const { useCases, catalog } = aFileCore({ store });
    const body = aBody();
    body.destroy();
    await once(body, 'close');
    const upload = useCases.uploadFile.execute({ actor: alice, name: 'gone', contentLength: 1000, body });
    expect((await rejectionOf(upload)).code).to.equal('FILE.UPLOAD_INCOMPLETE');
    expect(await catalog.listByOwner(alice.id)).to.deep.equal([]);
    expect(store.deleted).to.have.length(1);
  });
});

describe('meterBody', () => {
  it('fails the meter at once for a body that closed before it was called', async () => {
    const body = aBody();
    body.destroy();
    await once(body, 'close');
    expect(meterBody(body, { maxBytes: 1000 }).errored).to.include({ code: 'FILE.UPLOAD_INCOMPLETE' });
  });

  it('keeps a failure that comes before any store reads the meter, rather than throwing it unhandled', async () => {
    const body = aBody();
    const meter = meterBody(body, { maxBytes: 1000 });
    body.destroy(new Error('socket hang up'));
    await tick();
    await tick();
    expect(meter.errored).to.include({ code: 'FILE.UPLOAD_INCOMPLETE' });
  });
});
