import { expect } from 'chai';
import sinon from 'sinon';
import { Login } from '../../../../src/application/auth/login.js';
import type { StartSession } from '../../../../src/application/sessions/start-session.js';
import { User } from '../../../../src/domain/user/user.js';
import { rejectionOf } from '../../../support/rejection.js';
import { stubAccountTokens, stubHasher, stubThrottle, stubTokens, stubUserStore } from '../../../support/stubs.js';

const SETTINGS = {
  requireVerifiedEmail: false,
  ttlSeconds: { verifyEmail: 86_400, resetPassword: 1_800, changeEmail: 86_400, mfaChallenge: 300 },
};

const aSessionStarter = () =>
  ({ execute: sinon.stub().resolves({ familyId: 'fam-1', refreshToken: 'rt_1' }) }) as unknown as StartSession & {
    execute: sinon.SinonStub;
  };

const now = new Date();
const alice = new User('u1', 'alice@example.com', 'Alice', 'user', {}, '$real-hash', now, now);

/** Login over stubs: the store knows `knows` (nobody unless given), and the hasher says yes when `passwordRight`. */
function aLogin(options: { knows?: User; passwordRight?: boolean } = {}) {
  const users = stubUserStore();
  if (options.knows) users.findByEmail.resolves(options.knows);
  const hasher = stubHasher();
  if (options.passwordRight) hasher.verify.resolves(true);
  const tokens = stubTokens();
  const throttle = stubThrottle();
  return {
    users,
    hasher,
    tokens,
    throttle,
    login: new Login(users, hasher, tokens, aSessionStarter(), throttle, stubAccountTokens(), SETTINGS),
  };
}

describe('Login (interactions)', () => {
  afterEach(() => sinon.restore());

  it('compares against a dummy hash once for an unknown email and issues nothing', async () => {
    const { hasher, tokens, login } = aLogin();
    await login.warmUp();
    const err = await rejectionOf(login.execute({ email: 'ghost@example.com', password: 'whatever1' }));
    expect(err.code).to.equal('AUTH.INVALID_CREDENTIALS');
    sinon.assert.calledOnce(hasher.verify);
    expect(hasher.verify.firstCall.args[1]).to.equal(await hasher.hash.firstCall.returnValue);
    sinon.assert.notCalled(tokens.issueAccessToken);
  });

  it('compares against the stored hash once for a known email', async () => {
    const { users, hasher, tokens, login } = aLogin({ knows: alice, passwordRight: true });
    await login.execute({ email: ' Alice@Example.com', password: 'pw-attempt' });
    sinon.assert.calledOnceWithExactly(users.findByEmail, 'alice@example.com');
    sinon.assert.calledOnceWithExactly(hasher.verify, 'pw-attempt', '$real-hash');
    sinon.assert.calledOnceWithExactly(tokens.issueAccessToken, alice, 'fam-1', ['pwd']);
  });

  it('hashes the dummy only once across many unknown-email attempts', async () => {
    const { hasher, login } = aLogin();
    for (let i = 0; i < 3; i++) await rejectionOf(login.execute({ email: `x${i}@example.com`, password: 'whatever1' }));
    sinon.assert.calledOnce(hasher.hash);
    sinon.assert.calledThrice(hasher.verify);
  });
});

describe('Login throttling (interactions)', () => {
  afterEach(() => sinon.restore());

  it('refuses during a lockout before looking anything up, even with the right password', async () => {
    const { users, hasher, throttle, login } = aLogin({ knows: alice, passwordRight: true });
    throttle.consume.rejects(Object.assign(new Error('throttled'), { code: 'AUTH.THROTTLED' }));
    const err = await rejectionOf(login.execute({ email: 'alice@example.com', password: 'right', client: '10.0.0.1' }));
    expect(err.code).to.equal('AUTH.THROTTLED');
    sinon.assert.calledOnceWithExactly(throttle.consume, { account: 'alice@example.com', client: '10.0.0.1' });
    sinon.assert.notCalled(users.findByEmail);
    sinon.assert.notCalled(hasher.verify);
    sinon.assert.notCalled(throttle.recordSuccess);
  });

  it('spends the attempt before the password is checked, so a burst cannot outrun the count', async () => {
    const { users, hasher, throttle, login } = aLogin({ knows: alice });
    await rejectionOf(login.execute({ email: 'Alice@example.com', password: 'wrong', client: 'c' }));
    sinon.assert.calledOnceWithExactly(throttle.consume, { account: 'alice@example.com', client: 'c' });
    sinon.assert.callOrder(throttle.consume, users.findByEmail, hasher.verify);
  });

  it('keeps a wrong password counted and gives the attempt back for the right one', async () => {
    const { hasher, tokens, throttle, login } = aLogin({ knows: alice });
    expect(
      (await rejectionOf(login.execute({ email: 'alice@example.com', password: 'wrong', client: 'c' }))).code,
    ).to.equal('AUTH.INVALID_CREDENTIALS');
    sinon.assert.calledOnce(throttle.consume);
    sinon.assert.notCalled(throttle.recordSuccess);
    hasher.verify.resolves(true);
    await login.execute({ email: 'alice@example.com', password: 'right', client: 'c' });
    sinon.assert.calledTwice(throttle.consume);
    sinon.assert.calledOnceWithExactly(throttle.recordSuccess, { account: 'alice@example.com', client: 'c' });
    sinon.assert.callOrder(hasher.verify, throttle.recordSuccess, tokens.issueAccessToken);
  });
});
