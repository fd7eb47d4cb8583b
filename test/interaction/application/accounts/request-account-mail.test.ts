import { expect } from 'chai';
import sinon from 'sinon';
import { ForgotPassword, ResendVerification } from '../../../../src/application/accounts/request-account-mail.js';
import type { AccountMail } from '../../../../src/application/accounts/account-mail.js';
import { DomainError } from '../../../../src/domain/errors.js';
import { User } from '../../../../src/domain/user/user.js';
import { rejectionOf } from '../../../support/rejection.js';
import { stubAccountMail, stubThrottle, stubUserStore, stubWatchedUnitOfWork } from '../../../support/stubs.js';

const then = new Date('2025-06-01T00:00:00Z');
const ada = (verified = false) =>
  new User('ada', 'ada@example.com', 'Ada', 'user', {}, 'hash', then, then, verified ? then : null);

function aRequest<T extends ForgotPassword | ResendVerification>(
  Kind: new (...a: ConstructorParameters<typeof ForgotPassword>) => T,
) {
  const users = stubUserStore();
  const mail = stubAccountMail();
  const throttle = stubThrottle();
  const { unitOfWork, ranInside } = stubWatchedUnitOfWork();
  const request = new Kind(users, mail as unknown as AccountMail, unitOfWork, throttle);
  return { users, mail, throttle, unitOfWork, ranInside, request };
}

describe('ForgotPassword (interactions)', () => {
  afterEach(() => sinon.restore());

  it('consumes the throttle for the normalized address and the client before any lookup', async () => {
    const w = aRequest(ForgotPassword);
    w.users.findByEmail.resolves(ada());
    await w.request.execute({ email: '  Ada@Example.COM ', client: '10.0.0.1' });
    sinon.assert.calledOnceWithExactly(w.throttle.consume, { account: 'ada@example.com', client: '10.0.0.1' });
    sinon.assert.calledOnceWithExactly(w.users.findByEmail, 'ada@example.com');
    sinon.assert.callOrder(w.throttle.consume, w.users.findByEmail);
  });

  it('a refused attempt looks nothing up and mails nothing', async () => {
    const w = aRequest(ForgotPassword);
    const throttled = new DomainError('AUTH.THROTTLED', 'slow down', undefined, 60);
    w.throttle.consume.rejects(throttled);
    expect(await rejectionOf(w.request.execute({ email: 'ada@example.com' }))).to.equal(throttled);
    sinon.assert.notCalled(w.users.findByEmail);
    sinon.assert.notCalled(w.mail.passwordReset);
  });

  it('never calls the mail for an unknown address, and answers the same', async () => {
    const w = aRequest(ForgotPassword);
    expect(await w.request.execute({ email: 'ghost@example.com' })).to.equal(undefined);
    sinon.assert.notCalled(w.mail.passwordReset);
    sinon.assert.notCalled(w.mail.verification);
    sinon.assert.notCalled(w.unitOfWork.run);
  });

  it('queues the reset mail for the account, verified or not, inside the unit of work', async () => {
    for (const verified of [false, true]) {
      const w = aRequest(ForgotPassword);
      const user = ada(verified);
      w.users.findByEmail.resolves(user);
      await w.request.execute({ email: 'ada@example.com' });
      sinon.assert.calledOnceWithExactly(w.mail.passwordReset, user);
      expect(w.ranInside(w.mail.passwordReset)).to.equal(true);
      sinon.assert.notCalled(w.mail.verification);
    }
  });

  it('never gives the attempt back (recordSuccess), so a known address costs what an unknown one does', async () => {
    const w = aRequest(ForgotPassword);
    w.users.findByEmail.resolves(ada());
    await w.request.execute({ email: 'ada@example.com' });
    sinon.assert.notCalled(w.throttle.recordSuccess);
  });

  it("counts a missing client as 'unknown'", async () => {
    const w = aRequest(ForgotPassword);
    await w.request.execute({ email: 'ada@example.com' });
    sinon.assert.calledOnceWithExactly(w.throttle.consume, { account: 'ada@example.com', client: 'unknown' });
  });
});

describe('ResendVerification (interactions)', () => {
  afterEach(() => sinon.restore());

  it('consumes the throttle before any lookup', async () => {
    const w = aRequest(ResendVerification);
    await w.request.execute({ email: 'Ada@example.com', client: 'c' });
    sinon.assert.calledOnceWithExactly(w.throttle.consume, { account: 'ada@example.com', client: 'c' });
    sinon.assert.callOrder(w.throttle.consume, w.users.findByEmail);
  });

  it('mails a verification link to an unverified account inside the unit of work', async () => {
    const w = aRequest(ResendVerification);
    const user = ada(false);
    w.users.findByEmail.resolves(user);
    await w.request.execute({ email: 'ada@example.com' });
    sinon.assert.calledOnceWithExactly(w.mail.verification, user);
    expect(w.ranInside(w.mail.verification)).to.equal(true);
    sinon.assert.notCalled(w.mail.passwordReset);
  });

  it('mails nothing for a verified account or an unknown address', async () => {
    const w = aRequest(ResendVerification);
    w.users.findByEmail.resolves(ada(true));
    await w.request.execute({ email: 'ada@example.com' });
    w.users.findByEmail.resolves(null);
    await w.request.execute({ email: 'ghost@example.com' });
    sinon.assert.notCalled(w.mail.verification);
    sinon.assert.notCalled(w.unitOfWork.run);
    sinon.assert.calledTwice(w.throttle.consume);
  });
});
