import { expect } from 'chai';
import sinon from 'sinon';
import { RegisterUser } from '../../../../src/application/users/register-user.js';
import { ManualClock, uuidV7Ids } from '../../../support/fakes.js';
import { rejectionOf } from '../../../support/rejection.js';
import { stubHasher, stubUserStore } from '../../../support/stubs.js';

describe('RegisterUser (interactions)', () => {
  afterEach(() => sinon.restore());

  it('hashes the password before storing and never stores the plain password', async () => {
    const users = stubUserStore();
    const hasher = stubHasher();
    hasher.hash.resolves('$2b$hash');
    await new RegisterUser(users, hasher, uuidV7Ids(), new ManualClock()).execute({
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

  it('checks the email is free before spending a hash on it', async () => {
    const users = stubUserStore();
    const hasher = stubHasher();
    users.findByEmail.resolves({ id: 'x' } as never);
    const err = await rejectionOf(
      new RegisterUser(users, hasher, uuidV7Ids(), new ManualClock()).execute({
        email: 'A@example.com',
        password: 'plain secret 1',
        name: 'A',
      }),
    );
    expect(err.code).to.equal('USER.EMAIL_TAKEN');
    sinon.assert.calledOnceWithExactly(users.findByEmail, 'a@example.com');
    sinon.assert.notCalled(hasher.hash);
    sinon.assert.notCalled(users.create);
  });

  it('lets a store-level duplicate (a lost race) surface unchanged', async () => {
    const users = stubUserStore();
    const taken = Object.assign(new Error('taken'), { code: 'USER.EMAIL_TAKEN' });
    users.create.rejects(taken);
    const err = await rejectionOf(
      new RegisterUser(users, stubHasher(), uuidV7Ids(), new ManualClock()).execute({
        email: 'a@example.com',
        password: 'plain secret 1',
        name: 'A',
      }),
    );
    expect(err).to.equal(taken);
  });
});
