import { expect } from 'chai';
import sinon from 'sinon';
import { RegisterUser } from '../../../../src/application/users/register-user.js';
import { ManualClock, uuidV7Ids } from '../../../support/fakes.js';
import { rejectionOf } from '../../../support/rejection.js';
import { stubAccountMail, stubHasher, stubUnitOfWork, stubUserStore } from '../../../support/stubs.js';

describe('RegisterUser (interactions)', () => {
  afterEach(() => sinon.restore());

  it('hashes the password before storing and never stores the plain password', async () => {
    const users = stubUserStore();
    const hasher = stubHasher();
    hasher.hash.resolves('$2b$hash');
    await new RegisterUser(users, hasher, uuidV7Ids(), new ManualClock(), stubAccountMail(), stubUnitOfWork()).execute({
      email: 'a@example.com',
      password: 'plain secret 1',
      name: 'A',
    });
    sinon.assert.calledOnceWithExactly(hasher.hash, 'plain secret 1');
    sinon.assert.callOrder(hasher.hash, users.create);
    const stored = users.create.firstCall.args[0];
    expect(stored.passwordHash).to.equal('$2b$hash');
    expect(JSON.stringify(stored)).to.not.include('plain secret 1');
  });

  it('queues the verification mail in the same unit of work as the user, after it', async () => {
    const users = stubUserStore();
    const mail = stubAccountMail();
    const unitOfWork = stubUnitOfWork();
    users.create.callsFake(async () => void expect(unitOfWork.run.calledOnce).to.equal(true));
    mail.verification.callsFake(async () => void expect(unitOfWork.run.calledOnce).to.equal(true));
    const user = await new RegisterUser(users, stubHasher(), uuidV7Ids(), new ManualClock(), mail, unitOfWork).execute({
      email: 'a@example.com',
      password: 'plain secret 1',
      name: 'A',
    });
    sinon.assert.calledOnceWithExactly(mail.verification, user);
    sinon.assert.callOrder(users.create, mail.verification);
    expect(user.emailVerifiedAt).to.equal(null);
  });

  it('mails nothing for an address known to be theirs (the configured admin), which counts as verified', async () => {
    const mail = stubAccountMail();
    const clock = new ManualClock();
    const user = await new RegisterUser(
      stubUserStore(),
      stubHasher(),
      uuidV7Ids(),
      clock,
      mail,
      stubUnitOfWork(),
    ).execute({ email: 'root@example.com', password: 'plain secret 1', name: 'Root', role: 'admin', verified: true });
    sinon.assert.notCalled(mail.verification);
    expect(user.emailVerifiedAt).to.deep.equal(clock.now());
  });

  it('a failed mail enqueue fails the registration (the unit of work rolls the user back on SQL)', async () => {
    const mail = stubAccountMail();
    mail.verification.rejects(new Error('queue down'));
    const err = await rejectionOf(
      new RegisterUser(stubUserStore(), stubHasher(), uuidV7Ids(), new ManualClock(), mail, stubUnitOfWork()).execute({
        email: 'a@example.com',
        password: 'plain secret 1',
        name: 'A',
      }),
    );
    expect(err.message).to.equal('queue down');
  });

  it('checks the email is free (a soft-deleted user keeps theirs) before spending a hash on it', async () => {
    const users = stubUserStore();
    const hasher = stubHasher();
    users.findByEmail.resolves({ id: 'x' } as never);
    const err = await rejectionOf(
      new RegisterUser(users, hasher, uuidV7Ids(), new ManualClock(), stubAccountMail(), stubUnitOfWork()).execute({
        email: 'A@example.com',
        password: 'plain secret 1',
        name: 'A',
      }),
    );
    expect(err.code).to.equal('USER.EMAIL_TAKEN');
    sinon.assert.calledOnceWithExactly(users.findByEmail, 'a@example.com', { withDeleted: true });
    sinon.assert.notCalled(hasher.hash);
    sinon.assert.notCalled(users.create);
  });

  it('lets a store-level duplicate (a lost race) surface unchanged', async () => {
    const users = stubUserStore();
    const taken = Object.assign(new Error('taken'), { code: 'USER.EMAIL_TAKEN' });
    users.create.rejects(taken);
    const err = await rejectionOf(
      new RegisterUser(
        users,
        stubHasher(),
        uuidV7Ids(),
        new ManualClock(),
        stubAccountMail(),
        stubUnitOfWork(),
      ).execute({
        email: 'a@example.com',
        password: 'plain secret 1',
        name: 'A',
      }),
    );
    expect(err).to.equal(taken);
  });
});
