import { Readable } from 'node:stream';
import { expect } from 'chai';
import type { Actor } from '../../../../src/domain/user/user.js';
import { aCore, registration } from '../../../support/core.js';
import { rejectionOf } from '../../../support/rejection.js';

async function world() {
  const core = await aCore();
  const alice = await core.register.execute(registration('alice'));
  const actor: Actor = { id: alice.id, role: alice.role };
  return { core, alice, actor };
}

describe('user writes with If-Match (ifMatch)', () => {
  it('PatchUser writes over a version it names and answers the version stored', async () => {
    const { core, alice, actor } = await world();
    const patched = await core.patchUser.execute({ actor, id: alice.id, patch: { name: 'One' }, ifMatch: [1] });
    expect(patched.version).to.equal(2);
    const replaced = await core.replaceUser.execute({
      actor,
      id: alice.id,
      email: alice.email,
      name: 'Two',
      profile: {},
      ifMatch: [5, 2],
    });
    expect(replaced.version).to.equal(3);
  });

  it('PatchUser and ReplaceUser refuse a version that is not current, changing nothing', async () => {
    const { core, alice, actor } = await world();
    const patch = core.patchUser.execute({ actor, id: alice.id, patch: { name: 'Stale' }, ifMatch: [2] });
    expect((await rejectionOf(patch)).code).to.equal('PRECONDITION.FAILED');
    const replace = core.replaceUser.execute({
      actor,
      id: alice.id,
      email: alice.email,
      name: 'X',
      profile: {},
      ifMatch: [],
    });
    expect((await rejectionOf(replace)).code).to.equal('PRECONDITION.FAILED');
    expect(await core.users.findById(alice.id)).to.deep.include({ name: alice.name, version: 1 });
  });

  it('takes * as any version, and no ifMatch as no condition', async () => {
    const { core, alice, actor } = await world();
    await core.patchUser.execute({ actor, id: alice.id, patch: { name: 'Star' }, ifMatch: '*' });
    await core.patchUser.execute({ actor, id: alice.id, patch: { name: 'None' } });
    expect(await core.users.findById(alice.id)).to.deep.include({ name: 'None', version: 3 });
  });

  it('DeleteUser refuses a stale version before deleting anything, and deletes on the current one', async () => {
    const { core, alice, actor } = await world();
    const file = await core.uploadFile.execute({
      actor,
      name: 'kept.txt',
      contentType: 'text/plain',
      body: Readable.from([Buffer.from('kept')]),
    });
    expect((await rejectionOf(core.deleteUser.execute({ actor, id: alice.id, ifMatch: [7] }))).code).to.equal(
      'PRECONDITION.FAILED',
    );
    expect(await core.users.findById(alice.id)).to.not.equal(null);
    expect(await core.files.findById(file.id)).to.not.equal(null);
    await core.deleteUser.execute({ actor, id: alice.id, ifMatch: [1] });
    expect(await core.users.findById(alice.id)).to.equal(null);
  });
});
