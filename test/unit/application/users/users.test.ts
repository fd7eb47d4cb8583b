import { Readable } from 'node:stream';
import { expect } from 'chai';
import type { Actor } from '../../../../src/domain/user/user.js';
import { DeleteUserFiles } from '../../../../src/application/files/delete-user-files.js';
import { PurgeDeletedUsers } from '../../../../src/application/users/purge-deleted-users.js';
import { RestoreUser } from '../../../../src/application/users/restore-user.js';
import { InMemoryFileStore } from '../../../../src/adapters/files/in-memory/in-memory-file-store.js';
import { aCore, registration } from '../../../support/core.js';
import { rejectionOf } from '../../../support/rejection.js';

const PASSWORD = 'correct horse battery';
const DAY_MS = 24 * 60 * 60 * 1000;

async function world() {
  const core = await aCore();
  const alice = await core.register.execute(registration('alice'));
  const bob = await core.register.execute(registration('bob'));
  const root = await core.register.execute(registration('root', { role: 'admin' }));
  const as = (u: { id: string; role: Actor['role'] }): Actor => ({ id: u.id, role: u.role });
  return { core, alice, bob, root, as };
}

describe('user use cases', () => {
  it('GetUser lets a user see themself and an admin see anyone', async () => {
    const { core, alice, bob, root, as } = await world();
    expect((await core.getUser.execute({ actor: as(alice), id: alice.id })).id).to.equal(alice.id);
    expect((await core.getUser.execute({ actor: as(root), id: bob.id })).id).to.equal(bob.id);
  });

  it("GetUser answers another user's id as not found", async () => {
    const { core, alice, bob, as } = await world();
    expect((await rejectionOf(core.getUser.execute({ actor: as(alice), id: bob.id }))).code).to.equal('USER.NOT_FOUND');
  });

  it('ListUsers pages with an opaque cursor and filters by exact email, for admins only', async () => {
    const { core, alice, root, as } = await world();
    const first = await core.listUsers.execute({ actor: as(root), limit: 2 });
    expect(first.items).to.have.length(2);
    const second = await core.listUsers.execute({ actor: as(root), limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second.items).to.have.length(1);
    expect(second.nextCursor).to.equal(null);
    const byEmail = await core.listUsers.execute({ actor: as(root), limit: 20, email: 'USERalice@example.com' });
    expect(byEmail.items.map((u) => u.id)).to.deep.equal([alice.id]);
    expect((await rejectionOf(core.listUsers.execute({ actor: as(alice), limit: 2 }))).code).to.equal('AUTH.FORBIDDEN');
  });

  it('PatchUser merges the profile and refuses a role change by a non-admin', async () => {
    const { core, alice, as } = await world();
    await core.patchUser.execute({ actor: as(alice), id: alice.id, patch: { profile: { a: 1, b: { c: 2 } } } });
    const patched = await core.patchUser.execute({
      actor: as(alice),
      id: alice.id,
      patch: { profile: { b: { c: null } } },
    });
    expect(patched.profile).to.deep.equal({ a: 1, b: {} });
    const err = await rejectionOf(core.patchUser.execute({ actor: as(alice), id: alice.id, patch: { role: 'admin' } }));
    expect(err.code).to.equal('AUTH.FORBIDDEN');
    expect((await core.users.findById(alice.id))?.role).to.equal('user');
  });

  it('PatchUser: status is for admins only; disabling ends the sessions and refuses sign-in until re-enabled', async () => {
    const { core, alice, root, as } = await world();
    const client = '10.0.0.1';
    const { access, refreshToken } = await core.login.execute({ email: alice.email, password: PASSWORD, client });
    const own = core.patchUser.execute({ actor: as(alice), id: alice.id, patch: { status: 'active' } });
    expect((await rejectionOf(own)).code).to.equal('AUTH.FORBIDDEN');
    const disabled = await core.patchUser.execute({ actor: as(root), id: alice.id, patch: { status: 'disabled' } });
    expect(disabled.status).to.equal('disabled');
    expect((await rejectionOf(core.authenticate.execute(access.token))).code).to.equal('AUTH.UNAUTHENTICATED');
    expect((await rejectionOf(core.refresh.execute({ refreshToken }))).code).to.equal('AUTH.INVALID_REFRESH_TOKEN');
    const login = core.login.execute({ email: alice.email, password: PASSWORD, client });
    expect((await rejectionOf(login)).code).to.equal('AUTH.ACCOUNT_DISABLED');
    const wrong = core.login.execute({ email: alice.email, password: 'not the password', client });
    expect((await rejectionOf(wrong)).code).to.equal('AUTH.INVALID_CREDENTIALS');
    await core.patchUser.execute({ actor: as(root), id: alice.id, patch: { status: 'active' } });
    const back = await core.login.execute({ email: alice.email, password: PASSWORD, client });
    expect((await core.authenticate.execute(back.access.token)).id).to.equal(alice.id);
  });

  it('PatchUser lets an admin change a role', async () => {
    const { core, bob, root, as } = await world();
    const patched = await core.patchUser.execute({ actor: as(root), id: bob.id, patch: { role: 'admin' } });
    expect(patched.role).to.equal('admin');
  });

  it('ReplaceUser replaces name and profile and bumps updatedAt; a new email waits for its link', async () => {
    const { core, alice, as } = await world();
    core.clock.advance(1000);
    const replaced = await core.replaceUser.execute({
      actor: as(alice),
      id: alice.id,
      email: 'new@example.com',
      name: 'New',
      profile: { x: 1 },
    });
    expect(replaced).to.include({ email: 'useralice@example.com', name: 'New' });
    expect(replaced.profile).to.deep.equal({ x: 1 });
    expect(replaced.updatedAt.getTime()).to.be.greaterThan(replaced.createdAt.getTime());
    const queued = await core.mailQueue.claim({ now: core.clock.now(), limit: 100, claimTtlMs: 1000, owner: 't' });
    const to = queued.map((m) => m.message.to);
    expect(to).to.include.members(['new@example.com', 'useralice@example.com']);
  });

  it('ReplaceUser by an admin sets the email at once, unverified, and mails a verification link to it', async () => {
    const { core, alice, root, as } = await world();
    const replaced = await core.replaceUser.execute({
      actor: as(root),
      id: alice.id,
      email: 'set-by-admin@example.com',
      name: 'Alice',
      profile: {},
    });
    expect(replaced).to.include({ email: 'set-by-admin@example.com', emailVerifiedAt: null });
    const queued = await core.mailQueue.claim({ now: core.clock.now(), limit: 100, claimTtlMs: 1000, owner: 't' });
    const toNew = queued.filter((m) => m.message.to === 'set-by-admin@example.com');
    expect(toNew).to.have.length(1);
    expect(toNew[0]?.message.text).to.include('https://app.example.com/verify-email?token=ve_');
  });

  it("ReplaceUser refuses another user's email", async () => {
    const { core, alice, as } = await world();
    const err = await rejectionOf(
      core.replaceUser.execute({
        actor: as(alice),
        id: alice.id,
        email: 'userbob@example.com',
        name: 'A',
        profile: {},
      }),
    );
    expect(err.code).to.equal('USER.EMAIL_TAKEN');
  });

  async function carolWithAFile() {
    const core = await aCore();
    const carol = await core.register.execute(registration('carol'));
    const root = await core.register.execute(registration('root', { role: 'admin' }));
    const actor = { id: carol.id, role: 'user' as const };
    const { refreshToken } = await core.login.execute({ email: carol.email, password: PASSWORD, client: '10.0.0.1' });
    await core.uploadFile.execute({
      actor,
      name: 'a.txt',
      contentType: 'text/plain',
      contentLength: 2,
      body: Readable.from([Buffer.from('hi')]),
    });
    return { core, carol, actor, admin: { id: root.id, role: 'admin' as const }, refreshToken };
  }

  it('DeleteUser marks the user deleted and ends their sessions; files and the email stay, only admins see them', async () => {
    const { core, carol, actor, admin, refreshToken } = await carolWithAFile();
    await core.deleteUser.execute({ actor, id: carol.id });
    expect((await rejectionOf(core.refresh.execute({ refreshToken }))).code).to.equal('AUTH.INVALID_REFRESH_TOKEN');
    expect(await core.users.findById(carol.id)).to.equal(null);
    expect(await core.users.findByEmail(carol.email)).to.equal(null);
    const kept = await core.users.findById(carol.id, { withDeleted: true });
    expect(kept?.deletedAt).to.deep.equal(core.clock.now());
    expect(await core.files.listByOwner(carol.id)).to.have.length(1);
    expect((await core.getUser.execute({ actor: admin, id: carol.id })).deletedAt).to.deep.equal(core.clock.now());
    const login = core.login.execute({ email: carol.email, password: PASSWORD, client: '10.0.0.1' });
    expect((await rejectionOf(login)).code).to.equal('AUTH.INVALID_CREDENTIALS');
    const again = core.register.execute(registration('carol'));
    expect((await rejectionOf(again)).code).to.equal('USER.EMAIL_TAKEN');
    expect((await core.listUsers.execute({ actor: admin, limit: 10 })).items.map((u) => u.id)).to.not.include(carol.id);
    const deleted = await core.listUsers.execute({ actor: admin, limit: 10, status: 'deleted' });
    expect(deleted.items.map((u) => u.id)).to.deep.equal([carol.id]);
  });

  it('RestoreUser brings a deleted user back, files and all, within the window; the old sessions stay ended', async () => {
    const { core, carol, actor, admin, refreshToken } = await carolWithAFile();
    const restore = new RestoreUser(core.users, core.clock, { restoreDays: 30 });
    await core.deleteUser.execute({ actor, id: carol.id });
    core.clock.advance(30 * DAY_MS - 1);
    const restored = await restore.execute({ actor: admin, id: carol.id });
    expect(restored.deletedAt).to.equal(null);
    expect((await core.users.findById(carol.id))?.deletedAt).to.equal(null);
    expect(await core.files.listByOwner(carol.id)).to.have.length(1);
    expect((await rejectionOf(core.refresh.execute({ refreshToken }))).code).to.equal('AUTH.INVALID_REFRESH_TOKEN');
    await core.login.execute({ email: carol.email, password: PASSWORD, client: '10.0.0.1' });
    expect((await rejectionOf(restore.execute({ actor: admin, id: carol.id }))).code).to.equal('USER.NOT_DELETED');
  });

  it('PurgeDeletedUsers deletes for good, with their files, only users deleted longer ago than the window', async () => {
    const { core, carol, actor, admin } = await carolWithAFile();
    const settings = { restoreDays: 30 };
    const files = new DeleteUserFiles(core.files, new InMemoryFileStore({ clock: core.clock }));
    const purge = new PurgeDeletedUsers(core.users, files, core.clock, settings);
    await core.deleteUser.execute({ actor, id: carol.id });
    core.clock.advance(30 * DAY_MS - 1);
    expect(await purge.execute()).to.deep.equal({ purged: 0, failures: [] });
    expect(await core.users.findById(carol.id, { withDeleted: true })).to.not.equal(null);
    core.clock.advance(2);
    const late = new RestoreUser(core.users, core.clock, settings).execute({ actor: admin, id: carol.id });
    expect((await rejectionOf(late)).code).to.equal('USER.RESTORE_EXPIRED');
    expect(await purge.execute()).to.deep.equal({ purged: 1, failures: [] });
    expect(await core.users.findById(carol.id, { withDeleted: true })).to.equal(null);
    expect(await core.files.listByOwner(carol.id)).to.deep.equal([]);
    expect(await core.users.findById(admin.id)).to.not.equal(null);
    // The address is free again.
    await core.register.execute(registration('carol'));
  });

  it("DeleteUser answers another user's id as not found and deletes nothing", async () => {
    const { core, alice, bob, as } = await world();
    expect((await rejectionOf(core.deleteUser.execute({ actor: as(alice), id: bob.id }))).code).to.equal(
      'USER.NOT_FOUND',
    );
    expect(await core.users.findById(bob.id)).to.not.equal(null);
  });
});
