import { expect } from 'chai';
import type { UserStore } from '../../../../src/domain/ports/user-store.js';
import { aUser } from '../../../support/builders.js';
import { rejectionOf } from '../../../support/rejection.js';

/** Stored versions, and writes conditional on one (If-Match): atomic in the store. */
export function versionAssertions(store: () => UserStore) {
  describe('versions', () => {
    it('starts a user at version 1 and adds 1 on every write, telling the writer the version stored', async () => {
      const user = aUser();
      await store().create(user);
      expect((await store().findById(user.id))?.version).to.equal(1);
      user.name = 'Once';
      await store().update(user);
      expect(user.version).to.equal(2);
      user.name = 'Twice';
      await store().update(user, 2);
      expect(user.version).to.equal(3);
      expect((await store().findById(user.id))?.version).to.equal(3);
      expect((await store().findByEmail(user.email))?.version).to.equal(3);
    });

    it('counts a write without an expected version even over a copy read before another write', async () => {
      const user = aUser();
      await store().create(user);
      const stale = (await store().findById(user.id))!;
      await store().update(Object.assign((await store().findById(user.id))!, { name: 'First' }));
      stale.name = 'Second';
      await store().update(stale);
      expect(stale.version).to.equal(3);
      expect(await store().findById(user.id)).to.deep.include({ name: 'Second', version: 3 });
    });

    it('refuses an update expecting another version as PRECONDITION.FAILED and changes nothing', async () => {
      const user = aUser();
      await store().create(user);
      const changed = aUser({ id: user.id, name: 'Changed' });
      expect((await rejectionOf(store().update(changed, 2))).code).to.equal('PRECONDITION.FAILED');
      expect(await store().findById(user.id)).to.deep.equal(user);
    });

    it('answers USER.NOT_FOUND, not a failed precondition, for a conditional update of a user not there', async () => {
      expect((await rejectionOf(store().update(aUser(), 1))).code).to.equal('USER.NOT_FOUND');
    });

    it('deletes on the expected version only: another one is PRECONDITION.FAILED and keeps the user', async () => {
      const user = aUser();
      await store().create(user);
      expect((await rejectionOf(store().delete(user.id, 2))).code).to.equal('PRECONDITION.FAILED');
      expect(await store().findById(user.id)).to.deep.equal(user);
      expect(await store().delete(user.id, 1)).to.equal(true);
      expect(await store().findById(user.id)).to.equal(null);
      expect(await store().delete(user.id, 1)).to.equal(false);
    });

    it('lets exactly one of 6 concurrent updates expecting the same version win', async () => {
      const user = aUser();
      await store().create(user);
      const writers = Array.from({ length: 6 }, (_, i) => aUser({ id: user.id, email: user.email, name: `W${i}` }));
      const outcomes = await Promise.allSettled(writers.map((w) => store().update(w, 1)));
      const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [writers[i]!] : []));
      expect(won).to.have.length(1);
      for (const o of outcomes)
        if (o.status === 'rejected') expect((o.reason as { code?: string }).code).to.equal('PRECONDITION.FAILED');
      expect(await store().findById(user.id)).to.deep.include({ name: won[0]!.name, version: 2 });
    });
  });
}
