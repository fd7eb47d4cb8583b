import { Writable } from 'node:stream';
import { expect } from 'chai';
import sinon from 'sinon';
import { v7 } from 'uuid';
import { InMemoryMailer } from '../../../../src/adapters/mail/in-memory-mailer.js';
import { InMemoryMailQueue } from '../../../../src/adapters/persistence/in-memory/in-memory-mail-queue.js';
import { DeliverQueuedMail } from '../../../../src/application/mail/deliver-queued-mail.js';
import { parseConfig } from '../../../../src/infrastructure/config.js';
import { buildContainer, closeContainer } from '../../../../src/infrastructure/container/build-container.js';
import { TOKENS as T } from '../../../../src/infrastructure/container/tokens.js';
import { createLogger } from '../../../../src/infrastructure/logging.js';
import { ManualClock, newPrivateKeyPem } from '../../../support/fakes.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const message = { to: 'ada@example.com', subject: 'Verify', text: 'Code 1' };

/** The composition root on memory stores and the memory mailer; `start` and `close` as composeApp and shutdown. */
async function aMailContainer(env: Record<string, string>) {
  const config = parseConfig({
    DB_DRIVER: 'memory',
    FILE_STORE: 'memory',
    MAIL_DRIVER: 'memory',
    JWT_PRIVATE_KEY: newPrivateKeyPem(),
    ...env,
  });
  const lines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }),
  );
  const [queue, mailer, queueClosed] = [new InMemoryMailQueue(), new InMemoryMailer(), sinon.spy()];
  const container = await buildContainer(config, logger, {
    override: (c) => {
      c.rebind(T.Clock).toConstantValue(new ManualClock(NOW));
      c.rebind(T.MailQueue).toConstantValue(queue).onDeactivation(queueClosed);
      c.rebind(T.Mailer).toConstantValue(mailer);
    },
  });
  return {
    lines,
    queue,
    mailer,
    queueClosed,
    container,
    start: () => container.getAllAsync(T.BackgroundJobs),
    close: () => closeContainer(container),
  };
}

describe('the server sending queued mail (interactions)', () => {
  let timers: sinon.SinonFakeTimers;
  beforeEach(() => (timers = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })));
  afterEach(() => sinon.restore());

  it('sends what is queued every MAIL_SEND_INTERVAL_MS, keeps a permanent failure, and stops on shutdown', async () => {
    const w = await aMailContainer({ MAIL_SEND_INTERVAL_MS: '1000' });
    await w.queue.enqueue({ ...message, to: 'nobody@example.com' }, { id: v7(), now: NOW });
    await w.queue.enqueue(message, { id: v7(), now: NOW });
    // The first send is refused for good (as a 550 would be), the second goes through.
    w.mailer.failNext('permanent');
    await w.start();
    await timers.tickAsync(999);
    expect(w.mailer.sent).to.deep.equal([]);
    await timers.tickAsync(1);
    await timers.tickAsync(0);
    expect(w.mailer.sent.map((m) => m.to)).to.deep.equal(['ada@example.com']);
    expect(await w.queue.countFailed()).to.equal(1);
    expect(w.lines.join('')).to.include('"failed":1');
    await w.queue.enqueue(message, { id: v7(), now: NOW });
    await w.close();
    await timers.tickAsync(60_000);
    expect(w.mailer.sent).to.have.length(1);
  });

  it('keeps no process alive and on shutdown waits for a round under way before the stores close', async () => {
    const w = await aMailContainer({ MAIL_SEND_INTERVAL_MS: '1000' });
    let finish = () => {};
    const execute = sinon.stub(await w.container.getAsync(DeliverQueuedMail), 'execute');
    execute.returns(new Promise((resolve) => (finish = () => resolve({ sent: 0, retried: 0, failed: 0, lost: 0 }))));
    const made = sinon.spy(globalThis, 'setInterval');
    await w.start();
    expect(made.getCalls().every((c) => !(c.returnValue as unknown as NodeJS.Timeout).hasRef())).to.equal(true);
    await timers.tickAsync(3_000);
    sinon.assert.calledOnce(execute);
    let closed = false;
    const closing = w.close().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).to.equal(false);
    sinon.assert.notCalled(w.queueClosed);
    finish();
    await closing;
    sinon.assert.calledOnce(w.queueClosed);
  });

  it('sends nothing with MAIL_SEND_INTERVAL_MS=0', async () => {
    const w = await aMailContainer({ MAIL_SEND_INTERVAL_MS: '0' });
    await w.queue.enqueue(message, { id: v7(), now: NOW });
    await w.start();
    await timers.tickAsync(24 * 60 * 60_000);
    expect(w.mailer.sent).to.deep.equal([]);
  });
});
