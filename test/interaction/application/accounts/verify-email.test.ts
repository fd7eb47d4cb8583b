import { expect } from 'chai';
import sinon from 'sinon';
import { VerifyEmail } from '../../../../src/application/accounts/verify-email.js';
import { User } from '../../../../src/domain/user/user.js';
import { anAccountToken } from '../../../support/account-tokens.js';
import { ManualClock } from '../../../support/fakes.js';
import { rejectionOf } from '../../../support/rejection.js';
import { stubAccountTokens, stubUserStore } from '../../../support/stubs.js';

const then = new Date('2025-06-01T00:00:00Z');
const ada = (verifiedAt: Date | null = null) =>
  new User('ada', 'ada@example.com', 'Ada', 'user', {}, 'hash', then, then, verifiedAt);

function aVerify() {
  const tokens = stubAccountTokens();
  const users = stubUserStore();
  const token = anAccountToken('ada', { purpose: 'verify-email', email: 'ada@example.com' });
  tokens.find.resolves(token);
  users.findById.resolves(ada());
  const clock = new ManualClock();
  return { tokens, users, token, clock, verify: new VerifyEmail(tokens, users, clock) };
}

describe('VerifyEmail (interactions)', () => {
  afterEach(() => sinon.restore());

  it('finds the token for the verify purpose, consumes it, then marks the email verified', async () => {
    const w = aVerify();
    await w.verify.execute({ token: 've_secret' });
    sinon.assert.calledOnceWithExactly(w.tokens.find, 've_secret', 'verify-email');
    sinon.assert.calledOnceWithExactly(w.tokens.consume, w.token);
    sinon.assert.callOrder(w.tokens.find, w.users.findById, w.tokens.consume, w.users.update);
    expect(w.users.update.firstCall.args[0].emailVerifiedAt).to.deep.equal(w.clock.now());
  });

  it('a lost consume race writes nothing', async () => {
    const w = aVerify();
    w.tokens.consume.resolves(false);
    expect((await rejectionOf(w.verify.execute({ token: 've_secret' }))).code).to.equal('AUTH.TOKEN_INVALID');
    sinon.assert.notCalled(w.users.update);
  });

  it('a token for another address than the current one is refused and not consumed', async () => {
    const w = aVerify();
    w.tokens.find.resolves(anAccountToken('ada', { purpose: 'verify-email', email: 'old@example.com' }));
    expect((await rejectionOf(w.verify.execute({ token: 've_secret' }))).code).to.equal('AUTH.TOKEN_INVALID');
    sinon.assert.notCalled(w.tokens.consume);
    sinon.assert.notCalled(w.users.update);
  });

  it('an already verified address keeps its date: the token is spent, nothing written', async () => {
    const w = aVerify();
    w.users.findById.resolves(ada(then));
    await w.verify.execute({ token: 've_secret' });
    sinon.assert.calledOnce(w.tokens.consume);
    sinon.assert.notCalled(w.users.update);
  });
});
