import { Writable } from 'node:stream';
import { expect } from 'chai';
import { Container } from 'inversify';
import sinon from 'sinon';
import { InMemoryFileCatalog } from '../../../src/adapters/persistence/in-memory/in-memory-file-catalog.js';
import { fileStoreUnavailable } from '../../../src/domain/file/file-errors.js';
import { parseConfig } from '../../../src/infrastructure/config.js';
import { scheduleUploadSweep } from '../../../src/infrastructure/container/compose-app.js';
import { filesModule } from '../../../src/infrastructure/container/files-module.js';
import { Resources } from '../../../src/infrastructure/container/resources.js';
import { createLogger } from '../../../src/infrastructure/logging.js';
import { TOKENS as T } from '../../../src/infrastructure/tokens.js';
import { ManualClock, newPrivateKeyPem, uuidV7Ids } from '../../support/fakes.js';

async function aFilesContainer(env: Record<string, string>) {
  const config = parseConfig({ DB_DRIVER: 'memory', FILE_STORE: 'memory', JWT_PRIVATE_KEY: newPrivateKeyPem(), ...env });
  const lines: string[] = [];
  const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
  const resources = new Resources();
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(T.Clock).toConstantValue(new ManualClock());
  container.bind(T.IdGenerator).toConstantValue(uuidV7Ids());
  container.bind(T.FileCatalog).toConstantValue(new InMemoryFileCatalog());
  container.load(await filesModule(config, logger, resources));
  const execute = sinon.stub(container.get(T.SweepAbandonedUploads), 'execute');
  return { config, logger, lines, resources, container, execute };
}

describe('the server sweeping abandoned uploads (interactions)', () => {
  let timers: sinon.SinonFakeTimers;
  beforeEach(() => (timers = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })));
  afterEach(() => sinon.restore());

  it('sweeps every UPLOAD_SWEEP_INTERVAL_MINUTES, logs what went and what failed, and stops on shutdown', async () => {
    const w = await aFilesContainer({ UPLOAD_SWEEP_INTERVAL_MINUTES: '30' });
    w.execute.resolves({ files: 2, leftovers: 1, failures: [fileStoreUnavailable()] });
    scheduleUploadSweep(w.container, w.config, w.logger, w.resources);
    await timers.tickAsync(29 * 60_000);
    sinon.assert.notCalled(w.execute);
    await timers.tickAsync(60_000);
    sinon.assert.calledOnce(w.execute);
    expect(w.lines.join('')).to.include('"files":2').and.include('"leftovers":1').and.include('FILE.STORE_UNAVAILABLE');
    await w.resources.close();
    await timers.tickAsync(120 * 60_000);
    sinon.assert.calledOnce(w.execute);
  });

  it('keeps no process alive, runs one sweep at a time, and waits for it on shutdown', async () => {
    const w = await aFilesContainer({ UPLOAD_SWEEP_INTERVAL_MINUTES: '1' });
    let finish = () => {};
    w.execute.returns(new Promise((resolve) => (finish = () => resolve({ files: 0, leftovers: 0, failures: [] }))));
    const made = sinon.spy(globalThis, 'setInterval');
    scheduleUploadSweep(w.container, w.config, w.logger, w.resources);
    expect((made.firstCall.returnValue as unknown as NodeJS.Timeout).hasRef()).to.equal(false);
    await timers.tickAsync(2 * 60_000);
    sinon.assert.calledOnce(w.execute);
    let closed = false;
    const closing = w.resources.close().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).to.equal(false);
    finish();
    await closing;
  });

  it('does not sweep at all with UPLOAD_SWEEP_INTERVAL_MINUTES=0', async () => {
    const w = await aFilesContainer({ UPLOAD_SWEEP_INTERVAL_MINUTES: '0' });
    scheduleUploadSweep(w.container, w.config, w.logger, w.resources);
    await timers.tickAsync(7 * 24 * 60 * 60_000);
    sinon.assert.notCalled(w.execute);
  });
});
