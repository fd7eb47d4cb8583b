import { expect } from 'chai';
import sinon from 'sinon';
import { ConfirmEmailChange } from '../../../../src/application/accounts/confirm-email-change.js';
import { User } from '../../../../src/domain/user/user.js';
import { anAccountToken } from '../../../support/account-tokens.js';
import { ManualClock } from '../../../support/fakes.js';
import { rejectionOf } from '../../../support/rejection.js';
import { stubAccountTokens, stubUserStore, stubWatchedUnitOfWork } from '../../../support/stubs.js';

const then = new Date('2025-06-01T00:00:00Z');
const ada = () => new User('ada', 'ada@example.com', 'Ada', 'user', {}, 'hash', then, then);
const NEW = 'ada.new@example.com';

function aConfirm() {
  const tokens = stubAccountTokens();
  const users = stubUserStore();
  const { unitOfWork, ranInside } = stubWatchedUnitOfWork();
  const token = anAccountToken('ada', { purpose: 'change-email', email: NEW });
  tokens.find.resolves(token);
  users.findById.resolves(ada());
  const clock = new ManualClock();
  const confirm = new ConfirmEmailChange(tokens, users, unitOfWork, clock);
  return { tokens, users, unitOfWork, ranInside, token, clock, confirm };
}

describe('ConfirmEmailChange (interactions)', () => {
  afterEach(() => sinon.restore());

  it('finds the token for the change-email purpose, checks the address is free (a deleted user holds it too), then consumes, then updates', async () => {
    const w = aConfirm();
    await w.confirm.execute({ token: 'ec_secret' });
    sinon.assert.calledOnceWithExactly(w.tokens.find, 'ec_secret', 'change-email');
    sinon.assert.calledOnceWithExactly(w.users.findByEmail, NEW, { withDeleted: true });
    sinon.assert.calledOnceWithExactly(w.tokens.consume, w.token);
    sinon.assert.callOrder(w.tokens.find, w.users.findByEmail, w.tokens.consume, w.users.update);
  });

  it('sets the new email, verified now, and revokes the old links inside the unit of work', async () => {
    const w = aConfirm();
    w.clock.advance(1000);
    await w.confirm.execute({ token: 'ec_secret' });
    const stored = w.users.update.firstCall.args[0];
    expect(stored).to.include({ id: 'ada', email: NEW });
    expect(stored.emailVerifiedAt).to.deep.equal(w.clock.now());
    sinon.assert.calledOnceWithExactly(w.tokens.revokeAll, 'ada', 'change-email', 'verify-email', 'reset-password');
    expect(w.ranInside(w.users.update)).to.equal(true);
    expect(w.ranInside(w.tokens.revokeAll)).to.equal(true);
  });

  it('an address another account holds is refused before the token is consumed', async () => {
    const w = aConfirm();
    w.users.findByEmail.resolves(new User('bob', NEW, 'Bob', 'user', {}, 'h', then, then));
    expect((await rejectionOf(w.confirm.execute({ token: 'ec_secret' }))).code).to.equal('USER.EMAIL_TAKEN');
    sinon.assert.notCalled(w.tokens.consume);
    sinon.assert.notCalled(w.users.update);
    sinon.assert.notCalled(w.tokens.revokeAll);
  });

  it('an address the user already holds is no obstacle', async () => {
    const w = aConfirm();
    w.users.findByEmail.resolves(new User('ada', NEW, 'Ada', 'user', {}, 'h', then, then));
    await w.confirm.execute({ token: 'ec_secret' });
    sinon.assert.calledOnce(w.users.update);
  });

  it('a lost consume race updates nothing', async () => {
    const w = aConfirm();
    w.tokens.consume.resolves(false);
    expect((await rejectionOf(w.confirm.execute({ token: 'ec_secret' }))).code).to.equal('AUTH.TOKEN_INVALID');
    sinon.assert.notCalled(w.users.update);
    sinon.assert.notCalled(w.tokens.revokeAll);
  });

  it('an unknown token, or one whose user is gone, consumes nothing', async () => {
    const w = aConfirm();
    w.tokens.find.resolves(null);
    expect((await rejectionOf(w.confirm.execute({ token: 'ec_x' }))).code).to.equal('AUTH.TOKEN_INVALID');
    w.tokens.find.resolves(w.token);
    w.users.findById.resolves(null);
    expect((await rejectionOf(w.confirm.execute({ token: 'ec_x' }))).code).to.equal('AUTH.TOKEN_INVALID');
    sinon.assert.notCalled(w.tokens.consume);
    sinon.assert.notCalled(w.users.update);
  });
});
