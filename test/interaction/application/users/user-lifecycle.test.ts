import { expect } from 'chai';
import sinon from 'sinon';
import type { AccountMail } from '../../../../src/application/accounts/account-mail.js';
import { PurgeDeletedUsers } from '../../../../src/application/users/purge-deleted-users.js';
import { RestoreUser } from '../../../../src/application/users/restore-user.js';
import { UpdateUser } from '../../../../src/application/users/update-user.js';
import { preconditionFailed } from '../../../../src/domain/errors.js';
import type { Actor } from '../../../../src/domain/user/user.js';
import { aUser } from '../../../support/builders.js';
import { ManualClock } from '../../../support/fakes.js';
import { rejectionOf } from '../../../support/rejection.js';
import { stubAccountMail, stubUnitOfWork, stubUserStore, stubUserWork } from '../../../support/stubs.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const admin: Actor = { id: 'root', role: 'admin' };
const SETTINGS = { restoreDays: 30 };

describe('UpdateUser, status (interactions)', () => {
  afterEach(() => sinon.restore());

  function anUpdate(user = aUser({ id: 'bob' })) {
    const users = stubUserStore();
    users.findById.resolves(user);
    const sessions = stubUserWork();
    const update = new UpdateUser(
      users,
      new ManualClock(),
      sessions,
      stubAccountMail() as unknown as AccountMail,
      stubUnitOfWork(),
    );
    return { users, sessions, update };
  }

  it('refuses a status sent by a non-admin (AUTH.FORBIDDEN), even one that changes nothing, writing nothing', async () => {
    for (const status of ['disabled', 'active'] as const) {
      const w = anUpdate();
      const error = await rejectionOf(
        w.update.execute({ actor: { id: 'bob', role: 'user' }, id: 'bob', changes: () => ({ status }) }),
      );
      expect(error.code, status).to.equal('AUTH.FORBIDDEN');
      sinon.assert.notCalled(w.users.update);
      sinon.assert.notCalled(w.sessions.execute);
    }
  });

  it('refuses an admin disabling their own account (AUTH.FORBIDDEN), writing nothing; re-enabling stays theirs', async () => {
    const w = anUpdate(aUser({ id: 'root', role: 'admin' }));
    const error = await rejectionOf(
      w.update.execute({ actor: admin, id: 'root', changes: () => ({ status: 'disabled' }) }),
    );
    expect(error.code).to.equal('AUTH.FORBIDDEN');
    sinon.assert.notCalled(w.users.update);
    await w.update.execute({ actor: admin, id: 'root', changes: () => ({ status: 'active' }) });
    sinon.assert.calledOnce(w.users.update);
  });

  it('disabling by an admin writes the status, then ends every session of the user', async () => {
    const w = anUpdate();
    const answered = await w.update.execute({ actor: admin, id: 'bob', changes: () => ({ status: 'disabled' }) });
    expect(answered.status).to.equal('disabled');
    expect(w.users.update.firstCall.args[0].status).to.equal('disabled');
    sinon.assert.calledOnceWithExactly(w.sessions.execute, 'bob');
    sinon.assert.callOrder(w.users.update, w.sessions.execute);
  });

  it('ends no session when the write fails, nor for a user already disabled, nor for a re-enable', async () => {
    const failing = anUpdate();
    failing.users.update.rejects(preconditionFailed());
    await rejectionOf(failing.update.execute({ actor: admin, id: 'bob', changes: () => ({ status: 'disabled' }) }));
    sinon.assert.notCalled(failing.sessions.execute);

    const already = anUpdate(aUser({ id: 'bob', status: 'disabled' }));
    await already.update.execute({ actor: admin, id: 'bob', changes: () => ({ status: 'disabled' }) });
    sinon.assert.calledOnce(already.users.update);
    sinon.assert.notCalled(already.sessions.execute);

    const enable = anUpdate(aUser({ id: 'bob', status: 'disabled' }));
    const answered = await enable.update.execute({ actor: admin, id: 'bob', changes: () => ({ status: 'active' }) });
    expect(answered.status).to.equal('active');
    expect(enable.users.update.firstCall.args[0].status).to.equal('active');
    sinon.assert.notCalled(enable.sessions.execute);
  });
});

describe('RestoreUser (interactions)', () => {
  afterEach(() => sinon.restore());

  function aRestore(user = aUser({ id: 'bob', version: 4 })) {
    const users = stubUserStore();
    users.findById.resolves(user);
    const clock = new ManualClock();
    return { users, clock, restore: new RestoreUser(users, clock, SETTINGS) };
  }

  it('reads the user deleted ones included, clears deletedAt and writes over the version read', async () => {
    const deletedAt = new Date(new ManualClock().now().getTime() - DAY_MS);
    const w = aRestore(aUser({ id: 'bob', version: 4, status: 'disabled', role: 'admin', deletedAt }));
    const restored = await w.restore.execute({ actor: admin, id: 'bob' });
    sinon.assert.calledOnceWithExactly(w.users.findById, 'bob', { withDeleted: true });
    sinon.assert.calledOnce(w.users.update);
    const [written, expected] = w.users.update.firstCall.args;
    expect(expected).to.equal(4);
    expect(written).to.include({ id: 'bob', deletedAt: null, status: 'disabled', role: 'admin' });
    expect(written.updatedAt).to.deep.equal(w.clock.now());
    expect(restored).to.equal(written);
  });

  it('reads again after a concurrent write (PRECONDITION.FAILED) and answers what it finds then', async () => {
    const w = aRestore(aUser({ id: 'bob', version: 4, deletedAt: new ManualClock().now() }));
    // The concurrent writer was another restore: the fresh read finds bob no longer deleted.
    w.users.findById.onSecondCall().resolves(aUser({ id: 'bob', version: 5, deletedAt: null }));
    w.users.update.onFirstCall().rejects(preconditionFailed());
    expect((await rejectionOf(w.restore.execute({ actor: admin, id: 'bob' }))).code).to.equal('USER.NOT_DELETED');
    sinon.assert.calledOnce(w.users.update);
    sinon.assert.calledTwice(w.users.findById);
  });

  it('gives up after five concurrent writes in a row with PRECONDITION.FAILED', async () => {
    const w = aRestore(aUser({ id: 'bob', version: 4, deletedAt: new ManualClock().now() }));
    w.users.findById.callsFake(async () => aUser({ id: 'bob', version: 4, deletedAt: new ManualClock().now() }));
    w.users.update.rejects(preconditionFailed());
    expect((await rejectionOf(w.restore.execute({ actor: admin, id: 'bob' }))).code).to.equal('PRECONDITION.FAILED');
    sinon.assert.callCount(w.users.update, 5);
  });

  it('answers 409 USER.NOT_DELETED for a user not deleted, writing nothing', async () => {
    const w = aRestore(aUser({ id: 'bob', deletedAt: null }));
    const error = await rejectionOf(w.restore.execute({ actor: admin, id: 'bob' }));
    expect(error.code).to.equal('USER.NOT_DELETED');
    sinon.assert.notCalled(w.users.update);
  });

  it('answers 410 USER.RESTORE_EXPIRED once the window has ended (at its very end too), writing nothing', async () => {
    const clock = new ManualClock();
    const deletedAt = clock.now();
    const w = aRestore(aUser({ id: 'bob', deletedAt }));
    w.clock.advance(SETTINGS.restoreDays * DAY_MS - 1);
    await w.restore.execute({ actor: admin, id: 'bob' });
    for (const past of [1, DAY_MS]) {
      const late = aRestore(aUser({ id: 'bob', deletedAt }));
      late.clock.advance(SETTINGS.restoreDays * DAY_MS - 1 + past);
      const error = await rejectionOf(late.restore.execute({ actor: admin, id: 'bob' }));
      expect(error.code, String(past)).to.equal('USER.RESTORE_EXPIRED');
      sinon.assert.notCalled(late.users.update);
    }
  });

  it('is for admins only (AUTH.FORBIDDEN, nothing read) and answers USER.NOT_FOUND for no such user', async () => {
    const w = aRestore();
    const forbidden = await rejectionOf(w.restore.execute({ actor: { id: 'bob', role: 'user' }, id: 'bob' }));
    expect(forbidden.code).to.equal('AUTH.FORBIDDEN');
    sinon.assert.notCalled(w.users.findById);
    w.users.findById.resolves(null);
    expect((await rejectionOf(w.restore.execute({ actor: admin, id: 'bob' }))).code).to.equal('USER.NOT_FOUND');
    sinon.assert.notCalled(w.users.update);
  });
});

describe('PurgeDeletedUsers (interactions)', () => {
  afterEach(() => sinon.restore());

  function aPurge() {
    const users = stubUserStore();
    const files = stubUserWork();
    const clock = new ManualClock();
    return { users, files, clock, purge: new PurgeDeletedUsers(users, files, clock, SETTINGS) };
  }

  it('asks for users deleted before the window, deletes each one’s files first, then the user at the version read', async () => {
    const w = aPurge();
    const [ann, bob] = [aUser({ id: 'ann', version: 3 }), aUser({ id: 'bob', version: 7 })];
    w.users.listDeletedBefore.onFirstCall().resolves([ann, bob]);
    const report = await w.purge.execute();
    expect(report).to.deep.equal({ purged: 2, failures: [] });
    const [before] = w.users.listDeletedBefore.firstCall.args;
    expect(before).to.deep.equal(new Date(w.clock.now().getTime() - SETTINGS.restoreDays * DAY_MS));
    expect(w.files.execute.args).to.deep.equal([['ann'], ['bob']]);
    expect(w.users.delete.args).to.deep.equal([
      ['ann', 3],
      ['bob', 7],
    ]);
    sinon.assert.callOrder(
      w.files.execute.withArgs('ann'),
      w.users.delete.withArgs('ann'),
      w.files.execute.withArgs('bob'),
      w.users.delete.withArgs('bob'),
    );
    sinon.assert.calledTwice(w.users.listDeletedBefore);
  });

  it('reports a failure and goes on with the rest; a user whose files could not go stays', async () => {
    const w = aPurge();
    const [ann, bob, cat] = ['ann', 'bob', 'cat'].map((id) => aUser({ id }));
    const s3Down = new Error('S3 down');
    w.files.execute.withArgs('ann').rejects(s3Down);
    const moved = preconditionFailed();
    w.users.delete.withArgs('bob').rejects(moved);
    // The store keeps answering the users that failed (they are still there), as a real one would.
    w.users.listDeletedBefore.onFirstCall().resolves([ann!, bob!, cat!]);
    w.users.listDeletedBefore.onSecondCall().resolves([ann!, bob!]);
    const report = await w.purge.execute();
    expect(report.purged).to.equal(1);
    expect(report.failures).to.deep.equal([s3Down, moved]);
    sinon.assert.neverCalledWith(w.users.delete, 'ann');
    expect(w.users.delete.args).to.deep.equal([
      ['bob', 1],
      ['cat', 1],
    ]);
    expect(w.files.execute.args).to.deep.equal([['ann'], ['bob'], ['cat']]);
    // The failed ones are asked past, not tried again in the same run.
    expect(w.users.listDeletedBefore.secondCall.args[1]).to.equal(w.users.listDeletedBefore.firstCall.args[1] + 2);
  });

  it('counts only users actually deleted, and asks nothing more of an empty store', async () => {
    const w = aPurge();
    w.users.listDeletedBefore.onFirstCall().resolves([aUser({ id: 'ann' })]);
    w.users.delete.resolves(false);
    expect(await w.purge.execute()).to.deep.equal({ purged: 0, failures: [] });
    const empty = aPurge();
    expect(await empty.purge.execute()).to.deep.equal({ purged: 0, failures: [] });
    sinon.assert.calledOnce(empty.users.listDeletedBefore);
    sinon.assert.notCalled(empty.files.execute);
    sinon.assert.notCalled(empty.users.delete);
  });
});
