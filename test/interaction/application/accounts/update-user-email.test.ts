import { expect } from 'chai';
import sinon from 'sinon';
import type { AccountMail } from '../../../../src/application/accounts/account-mail.js';
import { UpdateUser } from '../../../../src/application/users/update-user.js';
import { User } from '../../../../src/domain/user/user.js';
import { ManualClock } from '../../../support/fakes.js';
import { rejectionOf } from '../../../support/rejection.js';
import { stubAccountMail, stubUserStore, stubUserWork, stubWatchedUnitOfWork } from '../../../support/stubs.js';

const then = new Date('2025-06-01T00:00:00Z');
const ada = () => new User('ada', 'ada@example.com', 'Ada', 'user', {}, 'hash', then, then, then);
const NEW = 'ada.new@example.com';

function anUpdate() {
  const users = stubUserStore();
  users.findById.resolves(ada());
  const mail = stubAccountMail();
  const { unitOfWork, ranInside } = stubWatchedUnitOfWork();
  const update = new UpdateUser(users, new ManualClock(), stubUserWork(), mail as unknown as AccountMail, unitOfWork);
  return { users, mail, unitOfWork, ranInside, update };
}

describe('UpdateUser, email change (interactions)', () => {
  afterEach(() => sinon.restore());

  it('by the user: does not write the new email, and queues the change mail inside the unit of work', async () => {
    const w = anUpdate();
    const answered = await w.update.execute({
      actor: { id: 'ada', role: 'user' },
      id: 'ada',
      changes: () => ({ email: 'Ada.New@Example.com', name: 'Ada L.' }),
    });
    expect(answered.email).to.equal('ada@example.com');
    const stored = w.users.update.firstCall.args[0];
    expect(stored).to.include({ email: 'ada@example.com', name: 'Ada L.' });
    expect(stored.emailVerifiedAt).to.deep.equal(then);
    sinon.assert.calledOnce(w.mail.emailChange);
    const [user, newEmail] = w.mail.emailChange.firstCall.args;
    expect(user).to.include({ id: 'ada', email: 'ada@example.com' });
    expect(newEmail).to.equal(NEW);
    expect(w.ranInside(w.mail.emailChange)).to.equal(true);
    expect(w.ranInside(w.users.update)).to.equal(true);
    sinon.assert.notCalled(w.mail.verification);
  });

  it('checks the new address is free, a soft-deleted user holding it too, before anything is written or mailed', async () => {
    const w = anUpdate();
    w.users.findByEmail.resolves(new User('bob', NEW, 'Bob', 'user', {}, 'h', then, then));
    const err = await rejectionOf(
      w.update.execute({ actor: { id: 'ada', role: 'user' }, id: 'ada', changes: () => ({ email: NEW }) }),
    );
    expect(err.code).to.equal('USER.EMAIL_TAKEN');
    sinon.assert.calledOnceWithExactly(w.users.findByEmail, NEW, { withDeleted: true });
    sinon.assert.notCalled(w.users.update);
    sinon.assert.notCalled(w.mail.emailChange);
  });

  it('by an admin: writes the new email, unverified, and queues a verification mail to it inside the unit of work', async () => {
    const w = anUpdate();
    await w.update.execute({ actor: { id: 'root', role: 'admin' }, id: 'ada', changes: () => ({ email: NEW }) });
    const stored = w.users.update.firstCall.args[0];
    expect(stored).to.include({ email: NEW, emailVerifiedAt: null });
    sinon.assert.calledOnce(w.mail.verification);
    expect(w.mail.verification.firstCall.args[0]).to.include({ id: 'ada', email: NEW });
    expect(w.ranInside(w.mail.verification)).to.equal(true);
    sinon.assert.notCalled(w.mail.emailChange);
  });

  it('the same address (in another case) is no change: nothing is mailed', async () => {
    const w = anUpdate();
    await w.update.execute({
      actor: { id: 'ada', role: 'user' },
      id: 'ada',
      changes: () => ({ email: 'ADA@example.com' }),
    });
    sinon.assert.notCalled(w.users.findByEmail);
    sinon.assert.notCalled(w.mail.emailChange);
    sinon.assert.notCalled(w.mail.verification);
  });
});
