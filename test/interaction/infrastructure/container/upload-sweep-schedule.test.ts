import { Writable } from 'node:stream';
import { expect } from 'chai';
import sinon from 'sinon';
import { InMemoryFileCatalog } from '../../../../src/adapters/persistence/in-memory/in-memory-file-catalog.js';
import { SweepAbandonedUploads } from '../../../../src/application/files/sweep-abandoned-uploads.js';
import { fileStoreUnavailable } from '../../../../src/domain/file/file-errors.js';
import { parseConfig } from '../../../../src/infrastructure/config.js';
import { buildContainer, closeContainer } from '../../../../src/infrastructure/container/build-container.js';
import { TOKENS as T } from '../../../../src/infrastructure/container/tokens.js';
import { createLogger } from '../../../../src/infrastructure/logging.js';
import { ManualClock, newPrivateKeyPem } from '../../../support/fakes.js';

/**
 * The composition root on memory stores, its sweep's `execute` stubbed and its catalog's closing
 * watched; `start` does what composeApp does with the background jobs, `close` what shutdown does.
 */
async function aFilesContainer(env: Record<string, string>) {
  const config = parseConfig({
    DB_DRIVER: 'memory',
    FILE_STORE: 'memory',
    JWT_PRIVATE_KEY: newPrivateKeyPem(),
    ...env,
  });
  const lines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }),
  );
  const catalogClosed = sinon.spy();
  const container = await buildContainer(config, logger, {
    override: (c) => {
      c.rebind(T.Clock).toConstantValue(new ManualClock());
      c.rebind(T.FileCatalog).toConstantValue(new InMemoryFileCatalog()).onDeactivation(catalogClosed);
    },
  });
  const execute = sinon.stub(await container.getAsync(SweepAbandonedUploads), 'execute');
  return {
    lines,
    execute,
    catalogClosed,
    start: () => container.getAllAsync(T.BackgroundJobs),
    close: () => closeContainer(container),
  };
}

describe('the server sweeping abandoned uploads (interactions)', () => {
  let timers: sinon.SinonFakeTimers;
  beforeEach(() => (timers = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })));
  afterEach(() => sinon.restore());

  it('sweeps every UPLOAD_SWEEP_INTERVAL_MINUTES, logs what went and what failed, and stops on shutdown', async () => {
    const w = await aFilesContainer({ UPLOAD_SWEEP_INTERVAL_MINUTES: '30' });
    w.execute.resolves({ files: 2, leftovers: 1, failures: [fileStoreUnavailable()] });
    await w.start();
    await timers.tickAsync(29 * 60_000);
    sinon.assert.notCalled(w.execute);
    await timers.tickAsync(60_000);
    sinon.assert.calledOnce(w.execute);
    expect(w.lines.join('')).to.include('"files":2').and.include('"leftovers":1').and.include('FILE.STORE_UNAVAILABLE');
    await w.close();
    await timers.tickAsync(120 * 60_000);
    sinon.assert.calledOnce(w.execute);
  });

  it('keeps no process alive, runs one sweep at a time, and on shutdown waits for it before the stores close', async () => {
    const w = await aFilesContainer({ UPLOAD_SWEEP_INTERVAL_MINUTES: '1' });
    let finish = () => {};
    w.execute.returns(new Promise((resolve) => (finish = () => resolve({ files: 0, leftovers: 0, failures: [] }))));
    const made = sinon.spy(globalThis, 'setInterval');
    await w.start();
    expect((made.firstCall.returnValue as unknown as NodeJS.Timeout).hasRef()).to.equal(false);
    await timers.tickAsync(2 * 60_000);
    sinon.assert.calledOnce(w.execute);
    let closed = false;
    const closing = w.close().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).to.equal(false);
    sinon.assert.notCalled(w.catalogClosed);
    finish();
    await closing;
    sinon.assert.calledOnce(w.catalogClosed);
  });

  it('does not sweep at all with UPLOAD_SWEEP_INTERVAL_MINUTES=0', async () => {
    const w = await aFilesContainer({ UPLOAD_SWEEP_INTERVAL_MINUTES: '0' });
    await w.start();
    await timers.tickAsync(7 * 24 * 60 * 60_000);
    sinon.assert.notCalled(w.execute);
  });
});
