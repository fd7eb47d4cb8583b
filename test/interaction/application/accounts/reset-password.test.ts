import { expect } from 'chai';
import sinon from 'sinon';
import { ResetPassword } from '../../../../src/application/accounts/reset-password.js';
import { User } from '../../../../src/domain/user/user.js';
import { anAccountToken } from '../../../support/account-tokens.js';
import { ManualClock } from '../../../support/fakes.js';
import { rejectionOf } from '../../../support/rejection.js';
import {
  stubAccountTokens,
  stubHasher,
  stubUserStore,
  stubUserWork,
  stubWatchedUnitOfWork,
} from '../../../support/stubs.js';

const then = new Date('2025-06-01T00:00:00Z');
const ada = () => new User('ada', 'ada@example.com', 'Ada', 'user', {}, 'old-hash', then, then);

/** ResetPassword over stubs where `rt` is a live reset token of ada's for her current address. */
function aReset() {
  const tokens = stubAccountTokens();
  const users = stubUserStore();
  const hasher = stubHasher();
  const sessions = stubUserWork();
  const { unitOfWork, ranInside } = stubWatchedUnitOfWork();
  const token = anAccountToken('ada', { email: 'ada@example.com' });
  tokens.find.resolves(token);
  users.findById.resolves(ada());
  hasher.hash.resolves('new-hash');
  const clock = new ManualClock();
  const reset = new ResetPassword(tokens, users, hasher, unitOfWork, sessions, clock);
  return { tokens, users, hasher, sessions, unitOfWork, ranInside, token, clock, reset };
}

const input = { token: 'pr_secret', newPassword: 'a brand new password' };

describe('ResetPassword (interactions)', () => {
  afterEach(() => sinon.restore());

  it('parses the new password before it looks at the token: a refused password spends nothing', async () => {
    const w = aReset();
    const err = await rejectionOf(w.reset.execute({ ...input, newPassword: 'short' }));
    expect(err.code).to.equal('REQUEST.INVALID');
    sinon.assert.notCalled(w.tokens.find);
    sinon.assert.notCalled(w.tokens.consume);
    sinon.assert.notCalled(w.hasher.hash);
  });

  it('looks the token up for the reset purpose, then its user, hashes, and only then consumes it', async () => {
    const w = aReset();
    await w.reset.execute(input);
    sinon.assert.calledOnceWithExactly(w.tokens.find, 'pr_secret', 'reset-password');
    sinon.assert.calledOnceWithExactly(w.users.findById, 'ada');
    sinon.assert.calledOnceWithExactly(w.hasher.hash, 'a brand new password');
    sinon.assert.calledOnceWithExactly(w.tokens.consume, w.token);
    sinon.assert.callOrder(w.tokens.find, w.users.findById, w.hasher.hash, w.tokens.consume, w.users.update);
  });

  it('consumes the token, writes the user, revokes and ends sessions inside one unit of work', async () => {
    const w = aReset();
    await w.reset.execute(input);
    sinon.assert.calledOnce(w.unitOfWork.run);
    expect(w.ranInside(w.tokens.consume)).to.equal(true);
    expect(w.ranInside(w.users.update)).to.equal(true);
    expect(w.ranInside(w.tokens.revokeAll)).to.equal(true);
    expect(w.ranInside(w.sessions.execute)).to.equal(true);
  });

  it('stores the new hash, marks an unverified email verified, and revokes reset links and MFA challenges', async () => {
    const w = aReset();
    w.clock.advance(5000);
    await w.reset.execute(input);
    const stored = w.users.update.firstCall.args[0];
    expect(stored).to.include({ id: 'ada', passwordHash: 'new-hash' });
    expect(stored.emailVerifiedAt).to.deep.equal(w.clock.now());
    expect(stored.updatedAt).to.deep.equal(w.clock.now());
    sinon.assert.calledOnce(w.tokens.revokeAll);
    const [userId, ...purposes] = w.tokens.revokeAll.firstCall.args;
    expect(userId).to.equal('ada');
    expect(purposes).to.include.members(['reset-password', 'change-email', 'mfa-challenge']);
    sinon.assert.calledOnceWithExactly(w.sessions.execute, 'ada');
  });

  it('keeps an earlier verification date', async () => {
    const w = aReset();
    const verified = ada();
    verified.emailVerifiedAt = then;
    w.users.findById.resolves(verified);
    await w.reset.execute(input);
    expect(w.users.update.firstCall.args[0].emailVerifiedAt).to.deep.equal(then);
  });

  it('a lost consume race updates nothing and ends no session', async () => {
    const w = aReset();
    w.tokens.consume.resolves(false);
    expect((await rejectionOf(w.reset.execute(input))).code).to.equal('AUTH.TOKEN_INVALID');
    sinon.assert.notCalled(w.users.update);
    sinon.assert.notCalled(w.tokens.revokeAll);
    sinon.assert.notCalled(w.sessions.execute);
  });

  it('an unknown token spends no hash and consumes nothing', async () => {
    const w = aReset();
    w.tokens.find.resolves(null);
    expect((await rejectionOf(w.reset.execute(input))).code).to.equal('AUTH.TOKEN_INVALID');
    sinon.assert.notCalled(w.hasher.hash);
    sinon.assert.notCalled(w.tokens.consume);
    sinon.assert.notCalled(w.users.update);
  });

  it('a token mailed to an address the user no longer has is refused before anything is spent', async () => {
    const w = aReset();
    w.tokens.find.resolves(anAccountToken('ada', { email: 'old@example.com' }));
    expect((await rejectionOf(w.reset.execute(input))).code).to.equal('AUTH.TOKEN_INVALID');
    sinon.assert.notCalled(w.hasher.hash);
    sinon.assert.notCalled(w.tokens.consume);
  });

  it('a token whose user is gone is refused', async () => {
    const w = aReset();
    w.users.findById.resolves(null);
    expect((await rejectionOf(w.reset.execute(input))).code).to.equal('AUTH.TOKEN_INVALID');
    sinon.assert.notCalled(w.tokens.consume);
  });

  it('a failing update surfaces and ends no session', async () => {
    const w = aReset();
    w.users.update.rejects(new Error('db down'));
    expect((await rejectionOf(w.reset.execute(input))).message).to.equal('db down');
    sinon.assert.notCalled(w.sessions.execute);
  });
});
