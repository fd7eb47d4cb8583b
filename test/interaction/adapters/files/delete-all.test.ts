import { expect } from 'chai';
import sinon from 'sinon';
import { v7 } from 'uuid';
import { deleteAll } from '../../../../src/adapters/files/delete-all.js';
import { fileStoreUnavailable } from '../../../../src/domain/file/file-errors.js';
import { FileKey } from '../../../../src/domain/file/file-key.js';
import type { FileStore } from '../../../../src/domain/ports/file-store.js';
import { rejectionOf } from '../../../support/rejection.js';

const keys = (n: number) => Array.from({ length: n }, () => FileKey.for(v7(), v7()));

/** A FileStore.delete stub that takes a while and records how many calls overlapped. */
function slowDelete(ms: number, failFor: Set<string> = new Set()) {
  let inFlight = 0;
  const seen = { max: 0 };
  const remove = sinon
    .stub<Parameters<FileStore['delete']>, ReturnType<FileStore['delete']>>()
    .callsFake(async (key) => {
      inFlight += 1;
      seen.max = Math.max(seen.max, inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms));
      inFlight -= 1;
      if (failFor.has(key.value)) throw fileStoreUnavailable();
    });
  return { store: { delete: remove }, remove, seen };
}

describe('deleteAll', () => {
  afterEach(() => sinon.restore());

  it('never has more than the given number of deletes in flight, and reaches that number', async () => {
    const { store, remove, seen } = slowDelete(15);
    const all = keys(40);
    await deleteAll(store, all, 8);
    expect(seen.max).to.equal(8);
    expect(remove.callCount).to.equal(40);
    expect(remove.args.map(([key]) => key.value)).to.have.members(all.map((k) => k.value));
  });

  it('deletes one at a time with a concurrency of 1', async () => {
    const { store, seen } = slowDelete(2);
    await deleteAll(store, keys(5), 1);
    expect(seen.max).to.equal(1);
  });

  it('tries every key even when some fail, then rejects with the first failure', async () => {
    const all = keys(10);
    const { store, remove } = slowDelete(2, new Set([all[2]?.value ?? '', all[7]?.value ?? '']));
    const error = await rejectionOf(deleteAll(store, all, 3));
    expect(error.code).to.equal('FILE.STORE_UNAVAILABLE');
    expect(remove.callCount).to.equal(10);
  });

  it('makes no calls for no keys', async () => {
    const { store, remove } = slowDelete(1);
    await deleteAll(store, [], 8);
    expect(remove.called).to.equal(false);
  });
});
