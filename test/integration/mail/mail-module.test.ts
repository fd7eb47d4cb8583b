import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import { InMemoryMailer } from '../../../src/adapters/mail/in-memory-mailer.js';
import { OutboxMailer } from '../../../src/adapters/mail/outbox-mailer.js';
import { SmtpMailer } from '../../../src/adapters/mail/smtp-mailer.js';
import { parseConfig } from '../../../src/infrastructure/config.js';
import { buildContainer, closeContainer } from '../../../src/infrastructure/container/build-container.js';
import { TOKENS as T } from '../../../src/infrastructure/container/tokens.js';
import { createLogger } from '../../../src/infrastructure/logging.js';
import { newPrivateKeyPem } from '../../support/fakes.js';
import { startSmtp } from '../../support/smtp-servers.js';

const message = { to: 'ada@example.com', subject: 'Hi', text: 'Hello' };

/** The composition root on memory stores, with these mail settings. */
async function aContainer(env: Record<string, string>) {
  const config = parseConfig({
    DB_DRIVER: 'memory',
    FILE_STORE: 'memory',
    JWT_PRIVATE_KEY: newPrivateKeyPem(),
    ...env,
  });
  return buildContainer(config, createLogger('silent'));
}

describe('the mail module', () => {
  let dataDir: string;
  beforeEach(async () => (dataDir = await mkdtemp(path.join(os.tmpdir(), 'portico-mail-'))));
  afterEach(async () => {
    sinon.restore();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('binds the outbox by default, writing under DATA_DIR/outbox', async () => {
    const container = await aContainer({ DATA_DIR: dataDir });
    const mailer = await container.getAsync(T.Mailer);
    expect(mailer).to.be.instanceOf(OutboxMailer);
    await mailer.send(message);
    expect(await readdir(path.join(dataDir, 'outbox'))).to.have.length(1);
    await closeContainer(container);
  });

  it('binds the memory mailer for MAIL_DRIVER=memory', async () => {
    const container = await aContainer({ MAIL_DRIVER: 'memory' });
    expect(await container.getAsync(T.Mailer)).to.be.instanceOf(InMemoryMailer);
    await closeContainer(container);
  });

  it('binds SMTP for MAIL_DRIVER=smtp, and closes its connections with the container', async () => {
    const smtp = await startSmtp();
    try {
      const container = await aContainer({ MAIL_DRIVER: 'smtp', SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
      const mailer = await container.getAsync(T.Mailer);
      expect(mailer).to.be.instanceOf(SmtpMailer);
      await mailer.send(message);
      expect(smtp.received.map((m) => m.to)).to.deep.equal([['ada@example.com']]);
      const close = sinon.spy(SmtpMailer.prototype, 'close');
      await closeContainer(container);
      expect(close.calledOnce).to.equal(true);
    } finally {
      await smtp.close();
    }
  });
});
