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

  it('ListUsers asks the store for one page after the decoded cursor, under the same sort and filters', async () => {
    const users = stubUserStore();
    const last = { value: 'bob', id: '0190a000-0000-7000-8000-000000000000' };
    users.list.resolves({ items: [bob()], last });
    const admin = { id: 'root', role: 'admin' } as const;
    const first = await new ListUsers(users).execute({ actor: admin, limit: 1, sort: '-name', q: 'BO' });
    await new ListUsers(users).execute({ actor: admin, limit: 5, sort: '-name', q: 'bo', cursor: first.nextCursor! });
    expect(users.list.secondCall.args[0]).to.deep.include({ limit: 5, after: last, sort: '-name', q: 'bo' });
    const elsewhere = [
      { sort: 'name' as const },
      { sort: '-name' as const, q: 'b' },
      { sort: '-name' as const, role: 'user' as const },
    ];
    for (const other of elsewhere) {
      const error = await rejectionOf(
        new ListUsers(users).execute({ actor: admin, limit: 1, ...other, cursor: first.nextCursor! }),
      );
      expect(error.code, JSON.stringify(other)).to.equal('REQUEST.INVALID');
    }
    sinon.assert.calledTwice(users.list);
  });

  const userWork = () => ({ execute: sinon.stub<[string], Promise<void>>().resolves() });

  it('DeleteUser marks the user deleted over the version read, then ends their sessions; files stay', async () => {
    const users = stubUserStore();
    users.findById.resolves(bob());
    const sessions = userWork();
    const clock = new ManualClock();
    await new DeleteUser(users, sessions, clock).execute({ actor: { id: 'bob', role: 'user' }, id: 'bob' });
    const [written, expected] = users.update.firstCall.args;
    expect(written.deletedAt).to.deep.equal(clock.now());
    expect(expected).to.equal(1);
    sinon.assert.calledOnceWithExactly(sessions.execute, 'bob');
    sinon.assert.callOrder(users.update, sessions.execute);
    sinon.assert.notCalled(users.delete);
  });

  it('DeleteUser ends no session when the mark fails (a concurrent write), so nothing half happens', async () => {
    const users = stubUserStore();
    users.findById.resolves(bob());
    users.update.rejects(new Error('PRECONDITION.FAILED'));
    const sessions = userWork();
    await rejectionOf(
      new DeleteUser(users, sessions, new ManualClock()).execute({ actor: { id: 'root', role: 'admin' }, id: 'bob' }),
    );
    sinon.assert.notCalled(sessions.execute);
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
