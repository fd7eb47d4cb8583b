import { expect } from 'chai';
import { SmtpMailer, type SmtpSettings } from '../../../src/adapters/mail/smtp-mailer.js';
import { MailDeliveryError, type MailMessage } from '../../../src/domain/ports/mailer.js';
import { rejectionOf } from '../../support/rejection.js';
import { startSilentServer, startSmtp, unusedPort } from '../../support/smtp-servers.js';

const message: MailMessage = { to: 'ada@example.com', subject: 'Welcome', text: 'Open https://portico.test/a?t=1' };

const refusal = (responseCode: number, text: string) => Object.assign(new Error(text), { responseCode });

describe('SmtpMailer', () => {
  const closers: (() => unknown)[] = [];
  const mailerOn = (port: number, more: Partial<SmtpSettings> = {}) => {
    const settings = { host: '127.0.0.1', port, secure: false, from: 'Portico <no-reply@portico.test>' };
    const mailer = new SmtpMailer({ ...settings, connectionTimeoutMs: 1_000, sendTimeoutMs: 1_000, ...more });
    closers.push(() => mailer.close());
    return mailer;
  };
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('delivers the message to a server that accepts it', async () => {
    const smtp = await startSmtp();
    closers.push(smtp.close);
    await mailerOn(smtp.port).send(message);
    expect(smtp.received).to.have.length(1);
    const [mail] = smtp.received;
    expect(mail?.from).to.equal('no-reply@portico.test');
    expect(mail?.to).to.deep.equal(['ada@example.com']);
    expect(mail?.raw).to.match(/^From: Portico <no-reply@portico.test>\r$/m);
    expect(mail?.raw).to.match(/^To: ada@example.com\r$/m);
    expect(mail?.raw).to.match(/^Subject: Welcome\r$/m);
    expect(mail?.raw).to.include('Open https://portico.test/a?t=1');
  });

  it('fails permanently when the server refuses the recipient (550)', async () => {
    const smtp = await startSmtp({ onRcptTo: (_a, _s, done) => done(refusal(550, 'No such user here')) });
    closers.push(smtp.close);
    const error = await rejectionOf(mailerOn(smtp.port).send(message));
    expect(error).to.be.instanceOf(MailDeliveryError);
    expect(error).to.include({ permanent: true });
    expect(error.message).to.include('550');
  });

  it('fails transiently when the server answers 451', async () => {
    const smtp = await startSmtp({ onMailFrom: (_a, _s, done) => done(refusal(451, 'Try again later')) });
    closers.push(smtp.close);
    const error = await rejectionOf(mailerOn(smtp.port).send(message));
    expect(error).to.be.instanceOf(MailDeliveryError).and.include({ permanent: false });
    expect(error.message).to.include('451');
  });

  it('gives up on a server that never greets after the send timeout, transiently', async () => {
    const silent = await startSilentServer();
    closers.push(silent.close);
    const started = Date.now();
    const error = await rejectionOf(mailerOn(silent.port, { sendTimeoutMs: 700 }).send(message));
    const elapsed = Date.now() - started;
    expect(error).to.be.instanceOf(MailDeliveryError).and.include({ permanent: false });
    expect(error.message).to.include('ETIMEDOUT');
    expect(elapsed).to.be.within(600, 2_500);
  });

  it('fails transiently when nothing listens', async () => {
    const error = await rejectionOf(mailerOn(await unusedPort()).send(message));
    expect(error).to.be.instanceOf(MailDeliveryError).and.include({ permanent: false });
  });

  it('never puts the password in the error, nor in its cause', async () => {
    const password = 'hunter2-s3cr3t/p@ss';
    const smtp = await startSmtp({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth: (auth, _s, done) => done(refusal(535, `Bad credentials for ${auth.username}/${auth.password ?? ''}`)),
    });
    closers.push(smtp.close);
    const url = `smtp://portico:${encodeURIComponent(password)}@127.0.0.1:${smtp.port}`;
    for (const mailer of [mailerOn(smtp.port, { user: 'portico', password }), mailerOn(0, { url })]) {
      const error = await rejectionOf(mailer.send(message));
      expect(error).to.be.instanceOf(MailDeliveryError).and.include({ permanent: false });
      const everything = [error.message, error.stack, String(error.cause), (error.cause as Error).stack].join('\n');
      expect(everything).not.to.include(password).and.not.to.include(encodeURIComponent(password));
    }
  });
});
