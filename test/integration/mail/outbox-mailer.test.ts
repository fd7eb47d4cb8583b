import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { OutboxMailer } from '../../../src/adapters/mail/outbox-mailer.js';
import { MailDeliveryError } from '../../../src/domain/ports/mailer.js';
import { rejectionOf } from '../../support/rejection.js';

const clock = { now: () => new Date('2026-12-03T22:40:05.123Z') };
const message = {
  to: 'ada@example.com',
  subject: 'Réinitialiser le mot de passe',
  text: 'Follow https://portico.test/reset?token=abc then http://other.test',
  html: '<p><a href="https://portico.test/reset?token=abc">Reset</a></p>',
};

/** Header lines unfolded, by lower-case name. */
function headersOf(eml: string): Map<string, string> {
  const head = eml.split('\r\n\r\n')[0] ?? '';
  const lines = head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
  return new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
}

describe('OutboxMailer', () => {
  let root: string;
  let lines: { fields: object; message: string }[];
  const mailer = (logLinks = true, dir = path.join(root, 'outbox')) =>
    new OutboxMailer({ dir, from: 'Portico <no-reply@portico.test>', logLinks }, clock, {
      info: (fields, text) => lines.push({ fields, message: text }),
    });

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'portico-outbox-'));
    lines = [];
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('writes each message as an .eml file named by time and a random id, nothing else', async () => {
    await mailer().send(message);
    await mailer().send(message);
    const names = await readdir(path.join(root, 'outbox'));
    expect(names).to.have.length(2);
    for (const name of names) expect(name).to.match(/^20261203T224005123Z-[0-9a-f]{12}\.eml$/);
  });

  it('writes an RFC 5322 message with the sender, the recipient, the subject and both bodies', async () => {
    await mailer().send(message);
    const [name] = await readdir(path.join(root, 'outbox'));
    const eml = await readFile(path.join(root, 'outbox', name ?? ''), 'utf8');
    const headers = headersOf(eml);
    expect(headers.get('from')).to.equal('Portico <no-reply@portico.test>');
    expect(headers.get('to')).to.equal('ada@example.com');
    expect(headers.get('subject')).to.match(/^=\?UTF-8\?Q\?R=C3=A9initialiser/);
    expect(headers.get('mime-version')).to.equal('1.0');
    expect(headers.get('message-id')).to.match(/^<.+@.+>$/);
    expect(headers.get('date')).to.equal('Thu, 03 Dec 2026 22:40:05 +0000');
    expect(headers.get('content-type')).to.match(/^multipart\/alternative; boundary=/);
    expect(eml).to.include('Content-Type: text/plain').and.include('Content-Type: text/html');
    expect(eml).to.include('Follow https://portico.test/reset?token=abc');
  });

  it('logs one line naming the file and the first link of the text', async () => {
    await mailer().send(message);
    const [name] = await readdir(path.join(root, 'outbox'));
    expect(lines).to.deep.equal([
      {
        fields: { file: path.join(root, 'outbox', name ?? ''), link: 'https://portico.test/reset?token=abc' },
        message: 'mail written to the outbox',
      },
    ]);
  });

  it('leaves the link out of the log when told to (production)', async () => {
    await mailer(false).send(message);
    expect(lines[0]?.fields).to.have.keys('file');
  });

  it('fails transiently, leaving no partial file, when the outbox cannot be written', async () => {
    const blocked = path.join(root, 'not-a-dir');
    await writeFile(blocked, '');
    const error = await rejectionOf(mailer(true, path.join(blocked, 'outbox')).send(message));
    expect(error).to.be.instanceOf(MailDeliveryError).and.include({ permanent: false });
    expect(await readdir(root)).to.deep.equal(['not-a-dir']);
    expect(lines).to.deep.equal([]);
  });
});
