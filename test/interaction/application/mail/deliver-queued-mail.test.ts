import { expect } from 'chai';
import sinon from 'sinon';
import { v7 } from 'uuid';
import { DeliverQueuedMail } from '../../../../src/application/mail/deliver-queued-mail.js';
import type { ClaimedMail, MailQueue } from '../../../../src/domain/ports/mail-queue.js';
import { MailDeliveryError, type Mailer } from '../../../../src/domain/ports/mailer.js';
import { ManualClock } from '../../../support/fakes.js';
import { rejectionOf } from '../../../support/rejection.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const MINUTE = 60_000;
const SETTINGS = {
  owner: 'host:1:abc',
  batchSize: 10,
  claimTtlMs: 5 * MINUTE,
  maxAttempts: 4,
  baseDelayMs: MINUTE,
  maxDelayMs: 5 * MINUTE,
};
const aClaim = (attempts = 0): ClaimedMail => ({
  id: v7(),
  message: { to: 'ada@example.com', subject: 'Verify', text: 'Code 1' },
  attempts,
});
const at = (ms: number) => new Date(NOW.getTime() + ms);

function aDelivery(claimed: ClaimedMail[]) {
  const queue = {
    enqueue: sinon.stub<Parameters<MailQueue['enqueue']>, ReturnType<MailQueue['enqueue']>>().resolves(),
    claim: sinon.stub<Parameters<MailQueue['claim']>, ReturnType<MailQueue['claim']>>().resolves(claimed),
    markSent: sinon.stub<Parameters<MailQueue['markSent']>, ReturnType<MailQueue['markSent']>>().resolves(true),
    markFailed: sinon.stub<Parameters<MailQueue['markFailed']>, ReturnType<MailQueue['markFailed']>>().resolves(true),
    countFailed: sinon.stub<[], Promise<number>>().resolves(0),
  } satisfies MailQueue;
  const mailer = { send: sinon.stub<Parameters<Mailer['send']>, Promise<void>>().resolves() } satisfies Mailer;
  const deliver = new DeliverQueuedMail(queue, mailer, new ManualClock(NOW), SETTINGS);
  return { queue, mailer, deliver };
}

describe('DeliverQueuedMail (interactions)', () => {
  afterEach(() => sinon.restore());

  it('claims a batch as this process, sends each message and marks it sent', async () => {
    const claims = [aClaim(), aClaim()];
    const { queue, mailer, deliver } = aDelivery(claims);
    expect(await deliver.execute()).to.deep.equal({ sent: 2, retried: 0, failed: 0, lost: 0 });
    sinon.assert.calledOnceWithExactly(queue.claim, {
      now: NOW,
      limit: 10,
      claimTtlMs: 5 * MINUTE,
      owner: SETTINGS.owner,
    });
    expect(mailer.send.args.map(([m]) => m)).to.deep.equal(claims.map((c) => c.message));
    expect(queue.markSent.args).to.deep.equal(claims.map((c) => [c.id, SETTINGS.owner]));
    sinon.assert.notCalled(queue.markFailed);
  });

  it('backs a transient failure off exponentially: one minute, then two, capped at five', async () => {
    const claims = [aClaim(0), aClaim(1), aClaim(2)];
    const { queue, mailer, deliver } = aDelivery(claims);
    mailer.send.rejects(new MailDeliveryError('421 busy', false));
    expect(await deliver.execute()).to.deep.equal({ sent: 0, retried: 3, failed: 0, lost: 0 });
    expect(queue.markFailed.args).to.deep.equal([
      [claims[0]!.id, SETTINGS.owner, { permanent: false, error: '421 busy', nextAttemptAt: at(MINUTE) }],
      [claims[1]!.id, SETTINGS.owner, { permanent: false, error: '421 busy', nextAttemptAt: at(2 * MINUTE) }],
      [claims[2]!.id, SETTINGS.owner, { permanent: false, error: '421 busy', nextAttemptAt: at(4 * MINUTE) }],
    ]);
    sinon.assert.notCalled(queue.markSent);
  });

  it('fails a message for good on a permanent error, or when its last attempt fails', async () => {
    const [refused, lastTry] = [aClaim(0), aClaim(3)];
    const { queue, mailer, deliver } = aDelivery([refused, lastTry]);
    mailer.send.onFirstCall().rejects(new MailDeliveryError('550 no such user', true));
    mailer.send.onSecondCall().rejects(new Error('socket hang up'));
    expect(await deliver.execute()).to.deep.equal({ sent: 0, retried: 0, failed: 2, lost: 0 });
    expect(queue.markFailed.args.map(([id, , f]) => [id, f.permanent, f.error])).to.deep.equal([
      [refused.id, true, '550 no such user'],
      [lastTry.id, true, 'socket hang up'],
    ]);
  });

  it('counts a message whose claim another process took over as lost', async () => {
    const { queue, deliver } = aDelivery([aClaim()]);
    queue.markSent.resolves(false);
    expect(await deliver.execute()).to.deep.equal({ sent: 0, retried: 0, failed: 0, lost: 1 });
  });

  it('sends nothing when the claim fails, and rejects with the store error', async () => {
    const { queue, mailer, deliver } = aDelivery([]);
    queue.claim.rejects(new Error('DB down'));
    expect((await rejectionOf(deliver.execute())).message).to.equal('DB down');
    sinon.assert.notCalled(mailer.send);
  });
});
