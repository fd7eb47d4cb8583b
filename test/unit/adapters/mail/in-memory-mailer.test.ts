import { expect } from 'chai';
import { InMemoryMailer } from '../../../../src/adapters/mail/in-memory-mailer.js';
import { MailDeliveryError } from '../../../../src/domain/ports/mailer.js';
import { rejectionOf } from '../../../support/rejection.js';

const message = { to: 'ada@example.com', subject: 'Hi', text: 'Hello' };

describe('InMemoryMailer', () => {
  it('keeps what it was sent, in order', async () => {
    const mailer = new InMemoryMailer();
    await mailer.send(message);
    await mailer.send({ ...message, to: 'bob@example.com' });
    expect(mailer.sent.map((m) => m.to)).to.deep.equal(['ada@example.com', 'bob@example.com']);
  });

  it('fails the next sends as told, permanently or not, then delivers again', async () => {
    const mailer = new InMemoryMailer();
    mailer.failNext('permanent');
    mailer.failNext('transient', 2);
    const errors = [
      await rejectionOf(mailer.send(message)),
      await rejectionOf(mailer.send(message)),
      await rejectionOf(mailer.send(message)),
    ];
    expect(errors.map((e) => e instanceof MailDeliveryError && e.permanent)).to.deep.equal([true, false, false]);
    expect(mailer.sent).to.deep.equal([]);
    await mailer.send(message);
    expect(mailer.sent).to.deep.equal([message]);
  });
});
