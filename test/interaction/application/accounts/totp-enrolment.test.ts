import { expect } from 'chai';
import sinon from 'sinon';
import { SecondFactor } from '../../../../src/application/accounts/second-factor.js';
import {
  ConfirmTotpEnrolment,
  DisableTotp,
  StartTotpEnrolment,
} from '../../../../src/application/accounts/totp-enrolment.js';
import type { SecretCipher } from '../../../../src/domain/ports/secret-cipher.js';
import type { Totp } from '../../../../src/domain/ports/totp.js';
import { User } from '../../../../src/domain/user/user.js';
import { ManualClock } from '../../../support/fakes.js';
import { rejectionOf } from '../../../support/rejection.js';
import {
  stubAccountTokens,
  stubHasher,
  stubSecondFactor,
  stubThrottle,
  stubUserStore,
  stubWatchedUnitOfWork,
} from '../../../support/stubs.js';

const then = new Date('2025-06-01T00:00:00Z');
const ada = (totp: 'off' | 'started' | 'on' = 'off') =>
  new User(
    'ada',
    'ada@example.com',
    'Ada',
    'user',
    {},
    'hash',
    then,
    then,
    then,
    totp === 'off' ? null : 'sealed(S3CRET)',
    totp === 'on' ? then : null,
  );
const actor = { id: 'ada', role: 'user' as const };

const stubTotp = () => ({
  periodSeconds: 30,
  generateSecret: sinon.stub<[], string>().returns('S3CRET'),
  uri: sinon.stub<Parameters<Totp['uri']>, string>().returns('otpauth://totp/x'),
  matchStep: sinon.stub<Parameters<Totp['matchStep']>, Promise<number | null>>().resolves(null),
});
const fakeCipher = (): SecretCipher => ({ seal: (p) => `sealed(${p})`, open: (s) => s.slice(7, -1) });

describe('TOTP enrolment (interactions)', () => {
  afterEach(() => sinon.restore());

  it('StartTotpEnrolment stores only the sealed secret and hands the plain one back', async () => {
    const users = stubUserStore();
    users.findById.resolves(ada());
    const totp = stubTotp();
    const started = await new StartTotpEnrolment(users, totp, fakeCipher(), new ManualClock(), {
      totpIssuer: 'Portico',
    }).execute({ actor });
    expect(started).to.deep.equal({ secret: 'S3CRET', otpauthUri: 'otpauth://totp/x' });
    sinon.assert.calledOnceWithExactly(totp.uri, { secret: 'S3CRET', account: 'ada@example.com', issuer: 'Portico' });
    expect(users.update.firstCall.args[0]).to.include({ totpSecret: 'sealed(S3CRET)', totpEnabledAt: null });
  });

  it('ConfirmTotpEnrolment: a wrong code writes nothing; a right one stores recovery codes and turns TOTP on in one unit of work', async () => {
    const users = stubUserStore();
    users.findById.resolves(ada('started'));
    const factor = stubSecondFactor();
    const tokens = stubAccountTokens();
    const { unitOfWork, ranInside } = stubWatchedUnitOfWork();
    const confirm = new ConfirmTotpEnrolment(users, factor, tokens, unitOfWork, new ManualClock());
    expect((await rejectionOf(confirm.execute({ actor, code: '000000' }))).code).to.equal('AUTH.MFA_CODE_INVALID');
    sinon.assert.notCalled(users.update);
    sinon.assert.notCalled(tokens.replaceRecoveryCodes);
    factor.check.resolves(true);
    const { recoveryCodes } = await confirm.execute({ actor, code: '123456' });
    expect(factor.check.lastCall.args[1]).to.deep.equal({ code: '123456' });
    const [userId, stored] = tokens.replaceRecoveryCodes.firstCall.args;
    expect(userId).to.equal('ada');
    expect(stored).to.deep.equal(recoveryCodes.map((c) => c.replace(/-/g, '')));
    expect(users.update.firstCall.args[0].totpEnabledAt).to.not.equal(null);
    expect(ranInside(tokens.replaceRecoveryCodes)).to.equal(true);
    expect(ranInside(users.update)).to.equal(true);
  });

  describe('DisableTotp', () => {
    function aDisable() {
      const users = stubUserStore();
      users.findById.resolves(ada('on'));
      const hasher = stubHasher();
      hasher.verify.resolves(true);
      const factor = stubSecondFactor();
      factor.check.resolves(true);
      const tokens = stubAccountTokens();
      const throttle = stubThrottle();
      const { unitOfWork, ranInside } = stubWatchedUnitOfWork();
      const disable = new DisableTotp(users, hasher, factor, tokens, unitOfWork, throttle, new ManualClock());
      return { users, hasher, factor, tokens, throttle, ranInside, disable };
    }
    const input = { actor, password: 'pw', code: '123456', client: 'c' };

    it('consumes the throttle first, checks the password before the code, and records success only at the end', async () => {
      const w = aDisable();
      await w.disable.execute(input);
      sinon.assert.calledOnceWithExactly(w.throttle.consume, { account: 'ada', client: 'c' });
      sinon.assert.callOrder(w.throttle.consume, w.users.findById, w.hasher.verify, w.factor.check);
      sinon.assert.callOrder(w.factor.check, w.throttle.recordSuccess, w.users.update);
      expect(w.users.update.firstCall.args[0]).to.include({ totpSecret: null, totpEnabledAt: null });
      sinon.assert.calledOnceWithExactly(w.tokens.revokeAll, 'ada', 'recovery-code', 'mfa-challenge');
      expect(w.ranInside(w.users.update)).to.equal(true);
      expect(w.ranInside(w.tokens.revokeAll)).to.equal(true);
    });

    it('a wrong password checks no code (so spends no TOTP step) and records no success', async () => {
      const w = aDisable();
      w.hasher.verify.resolves(false);
      expect((await rejectionOf(w.disable.execute(input))).code).to.equal('USER.WRONG_PASSWORD');
      sinon.assert.notCalled(w.factor.check);
      sinon.assert.notCalled(w.throttle.recordSuccess);
      sinon.assert.notCalled(w.users.update);
    });

    it('a wrong code writes nothing and records no success', async () => {
      const w = aDisable();
      w.factor.check.resolves(false);
      const err = await rejectionOf(w.disable.execute({ actor, password: 'pw', recoveryCode: 'x' }));
      expect(err.code).to.equal('AUTH.MFA_CODE_INVALID');
      expect(w.factor.check.firstCall.args[1]).to.deep.equal({ recoveryCode: 'x' });
      sinon.assert.notCalled(w.throttle.recordSuccess);
      sinon.assert.notCalled(w.users.update);
      sinon.assert.notCalled(w.tokens.revokeAll);
    });
  });

  describe('SecondFactor', () => {
    function aFactor() {
      const totp = stubTotp();
      const tokens = stubAccountTokens();
      const clock = new ManualClock();
      return { totp, tokens, clock, factor: new SecondFactor(totp, fakeCipher(), tokens, clock) };
    }

    it('matches the code against the opened secret at the clock time and marks its step used', async () => {
      const w = aFactor();
      w.totp.matchStep.resolves(1000);
      expect(await w.factor.check(ada('on'), { code: '123456' })).to.equal(true);
      sinon.assert.calledOnceWithExactly(w.totp.matchStep, { code: '123456', secret: 'S3CRET', at: w.clock.now() });
      sinon.assert.calledOnceWithExactly(w.tokens.markOnce, {
        userId: 'ada',
        purpose: 'totp-step',
        key: `1000:${ada('on').totpSecret}`,
        until: new Date(1002 * 30 * 1000),
      });
    });

    it('a step marked before (a replay) is refused', async () => {
      const w = aFactor();
      w.totp.matchStep.resolves(1000);
      w.tokens.markOnce.resolves(false);
      expect(await w.factor.check(ada('on'), { code: '123456' })).to.equal(false);
    });

    it('a wrong code marks nothing', async () => {
      const w = aFactor();
      expect(await w.factor.check(ada('on'), { code: '123456' })).to.equal(false);
      sinon.assert.notCalled(w.tokens.markOnce);
    });

    it('spends a recovery code normalized, only when TOTP is on', async () => {
      const w = aFactor();
      w.tokens.useRecoveryCode.resolves(true);
      expect(await w.factor.check(ada('on'), { recoveryCode: ' ABCD EFGH-jkmn-pqrs ' })).to.equal(true);
      sinon.assert.calledOnceWithExactly(w.tokens.useRecoveryCode, 'ada', 'abcdefghjkmnpqrs');
      expect(await w.factor.check(ada('started'), { recoveryCode: 'abcd-efgh-jkmn-pqrs' })).to.equal(false);
      sinon.assert.calledOnce(w.tokens.useRecoveryCode);
      sinon.assert.notCalled(w.totp.matchStep);
    });
  });
});
