import { expect } from 'chai';
import sinon from 'sinon';
import { ChangePassword } from '../../../../src/application/auth/change-password.js';
import { DeleteUser } from '../../../../src/application/users/delete-user.js';
import { GetUser } from '../../../../src/application/users/get-user.js';
import { ListUsers } from '../../../../src/application/users/list-users.js';
import { User } from '../../../../src/domain/user/user.js';
import { ManualClock } from '../../../support/fakes.js';
import { rejectionOf } from '../../../support/rejection.js';
import { stubAccountTokens, stubHasher, stubUnitOfWork, stubUserStore } from '../../../support/stubs.js';

const now = new Date();
const bob = () => new User('bob', 'bob@example.com', 'Bob', 'user', {}, 'old-hash', now, now);

describe('user use cases (interactions)', () => {
  afterEach(() => sinon.restore());

  it("GetUser never asks the store for another user's record", async () => {
    const users = stubUserStore();
    await rejectionOf(new GetUser(users).execute({ actor: { id: 'alice', role: 'user' }, id: 'bob' }));
    sinon.assert.notCalled(users.findById);
  });

  it('ListUsers asks the store for one page after the decoded cursor', async () => {
    const users = stubUserStore();
    users.list.resolves({ items: [bob()], last: 'bob' });
    const first = await new ListUsers(users).execute({ actor: { id: 'root', role: 'admin' }, limit: 1 });
    await new ListUsers(users).execute({ actor: { id: 'root', role: 'admin' }, limit: 1, cursor: first.nextCursor! });
    expect(users.list.secondCall.args[0]).to.deep.equal({ limit: 1, after: 'bob', email: undefined });
  });

  const userWork = () => ({ execute: sinon.stub<[string], Promise<void>>().resolves() });

  it("DeleteUser deletes the user's files, then ends their sessions, then deletes the row", async () => {
    const users = stubUserStore();
    users.findById.resolves(bob());
    const [files, sessions] = [userWork(), userWork()];
    await new DeleteUser(users, files, sessions).execute({ actor: { id: 'bob', role: 'user' }, id: 'bob' });
    sinon.assert.calledOnceWithExactly(files.execute, 'bob');
    sinon.assert.calledOnceWithExactly(sessions.execute, 'bob');
    sinon.assert.callOrder(files.execute, sessions.execute, users.delete);
  });

  it('DeleteUser keeps the row and the sessions when deleting the files fails, so the delete can be retried', async () => {
    const users = stubUserStore();
    users.findById.resolves(bob());
    const [files, sessions] = [userWork(), userWork()];
    files.execute.rejects(new Error('S3 down'));
    await rejectionOf(
      new DeleteUser(users, files, sessions).execute({ actor: { id: 'root', role: 'admin' }, id: 'bob' }),
    );
    sinon.assert.notCalled(sessions.execute);
    sinon.assert.notCalled(users.delete);
  });

  it('ChangePassword verifies the current password, stores the new hash, then ends the sessions', async () => {
    const users = stubUserStore();
    users.findById.resolves(bob());
    const hasher = stubHasher();
    hasher.verify.resolves(true);
    hasher.hash.resolves('new-hash');
    const sessions = userWork();
    const tokens = stubAccountTokens();
    await new ChangePassword(users, hasher, new ManualClock(), sessions, tokens, stubUnitOfWork()).execute({
      actor: { id: 'bob', role: 'user' },
      id: 'bob',
      currentPassword: 'old password',
      newPassword: 'new password',
    });
    sinon.assert.calledOnceWithExactly(hasher.verify, 'old password', 'old-hash');
    expect(users.update.firstCall.args[0].passwordHash).to.equal('new-hash');
    sinon.assert.calledOnceWithExactly(sessions.execute, 'bob');
    sinon.assert.calledOnceWithExactly(tokens.revokeAll, 'bob', 'reset-password', 'change-email', 'mfa-challenge');
    sinon.assert.callOrder(hasher.verify, hasher.hash, users.update, sessions.execute);
  });
});
