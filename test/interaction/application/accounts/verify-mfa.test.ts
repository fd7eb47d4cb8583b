import { expect } from 'chai';
import sinon from 'sinon';
import { VerifyMfa } from '../../../../src/application/accounts/verify-mfa.js';
import { DomainError } from '../../../../src/domain/errors.js';
import { User } from '../../../../src/domain/user/user.js';
import { anAccountToken } from '../../../support/account-tokens.js';
import { rejectionOf } from '../../../support/rejection.js';
import {
  stubAccountTokens,
  stubSecondFactor,
  stubStartSession,
  stubThrottle,
  stubTokens,
  stubUserStore,
} from '../../../support/stubs.js';

const then = new Date('2025-06-01T00:00:00Z');
const ada = () => new User('ada', 'ada@example.com', 'Ada', 'user', {}, 'hash', then, then, then, 'sealed', then);

function aVerifyMfa() {
  const tokens = stubAccountTokens();
  const users = stubUserStore();
  const factor = stubSecondFactor();
  const throttle = stubThrottle();
  const sessions = stubStartSession();
  const accessTokens = stubTokens();
  const challenge = anAccountToken('ada', { purpose: 'mfa-challenge', email: null });
  tokens.find.resolves(challenge);
  users.findById.resolves(ada());
  const verify = new VerifyMfa(tokens, users, factor, throttle, sessions, accessTokens);
  return { tokens, users, factor, throttle, sessions, accessTokens, challenge, verify };
}

const attempt = { account: 'ada', client: '10.0.0.1' };

describe('VerifyMfa (interactions)', () => {
  afterEach(() => sinon.restore());

  it('finds the challenge, consumes the throttle for its user and the client, then checks the code', async () => {
    const w = aVerifyMfa();
    w.factor.check.resolves(true);
    await w.verify.execute({ challenge: 'mc_secret', code: '123456', client: '10.0.0.1' });
    sinon.assert.calledOnceWithExactly(w.tokens.find, 'mc_secret', 'mfa-challenge');
    sinon.assert.calledOnceWithExactly(w.throttle.consume, attempt);
    sinon.assert.callOrder(w.tokens.find, w.throttle.consume, w.users.findById, w.factor.check);
    expect(w.factor.check.firstCall.args[1]).to.deep.equal({ code: '123456' });
  });

  it('a throttled attempt checks no code and opens nothing', async () => {
    const w = aVerifyMfa();
    const throttled = new DomainError('AUTH.THROTTLED', 'slow down', undefined, 60);
    w.throttle.consume.rejects(throttled);
    expect(await rejectionOf(w.verify.execute({ challenge: 'mc_secret', code: '123456' }))).to.equal(throttled);
    sinon.assert.notCalled(w.factor.check);
    sinon.assert.notCalled(w.sessions.execute);
  });

  it('a wrong code: AUTH.MFA_INVALID, the challenge is not consumed and the failure stays counted', async () => {
    const w = aVerifyMfa();
    const err = await rejectionOf(w.verify.execute({ challenge: 'mc_secret', code: '000000' }));
    expect(err.code).to.equal('AUTH.MFA_INVALID');
    sinon.assert.notCalled(w.tokens.consume);
    sinon.assert.notCalled(w.throttle.recordSuccess);
    sinon.assert.notCalled(w.sessions.execute);
    sinon.assert.notCalled(w.accessTokens.issueAccessToken);
  });

  it('a right code consumes the challenge, then records success, then opens a session with amr pwd+otp', async () => {
    const w = aVerifyMfa();
    w.factor.check.resolves(true);
    const result = await w.verify.execute({ challenge: 'mc_secret', code: '123456', client: '10.0.0.1' });
    sinon.assert.calledOnceWithExactly(w.tokens.consume, w.challenge);
    sinon.assert.calledOnceWithExactly(w.throttle.recordSuccess, attempt);
    sinon.assert.calledOnceWithExactly(w.sessions.execute, 'ada', ['pwd', 'otp']);
    expect(w.accessTokens.issueAccessToken.firstCall.args.slice(1)).to.deep.equal(['fam-1', ['pwd', 'otp']]);
    sinon.assert.callOrder(w.factor.check, w.tokens.consume, w.throttle.recordSuccess, w.sessions.execute);
    expect(result).to.include({ refreshToken: 'rt_1' });
  });

  it('passes a recovery code on as a recovery code', async () => {
    const w = aVerifyMfa();
    w.factor.check.resolves(true);
    await w.verify.execute({ challenge: 'mc_secret', recoveryCode: 'ABCD EFGH' });
    expect(w.factor.check.firstCall.args[1]).to.deep.equal({ recoveryCode: 'ABCD EFGH' });
  });

  it('a lost race for the challenge opens nothing and records no success', async () => {
    const w = aVerifyMfa();
    w.factor.check.resolves(true);
    w.tokens.consume.resolves(false);
    expect((await rejectionOf(w.verify.execute({ challenge: 'mc_secret', code: '123456' }))).code).to.equal(
      'AUTH.MFA_INVALID',
    );
    sinon.assert.notCalled(w.throttle.recordSuccess);
    sinon.assert.notCalled(w.sessions.execute);
  });

  it('an unknown challenge, or a user without TOTP, checks no code', async () => {
    const w = aVerifyMfa();
    w.tokens.find.resolves(null);
    expect((await rejectionOf(w.verify.execute({ challenge: 'mc_x', code: '1' }))).code).to.equal('AUTH.MFA_INVALID');
    sinon.assert.notCalled(w.throttle.consume);
    w.tokens.find.resolves(w.challenge);
    w.users.findById.resolves(new User('ada', 'ada@example.com', 'Ada', 'user', {}, 'hash', then, then));
    expect((await rejectionOf(w.verify.execute({ challenge: 'mc_x', code: '1' }))).code).to.equal('AUTH.MFA_INVALID');
    sinon.assert.notCalled(w.factor.check);
    sinon.assert.notCalled(w.sessions.execute);
  });
});
