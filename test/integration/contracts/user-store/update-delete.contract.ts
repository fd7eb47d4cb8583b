import { expect } from 'chai';
import type { UserStore } from '../../../../src/domain/ports/user-store.js';
import { aUser } from '../../../support/builders.js';
import { rejectionOf } from '../../../support/rejection.js';
import { createdIn } from './fixture.js';

/** Changing and deleting users: what changes, what is kept, what is refused. */
export function updateAndDeleteAssertions(store: () => UserStore) {
  describe('update', () => {
    it('stores every changed field and keeps createdAt', async () => {
      const user = aUser();
      await store().create(user);
      const changed = aUser({ id: user.id, role: 'admin', profile: { v: 2 }, passwordHash: 'new-hash' });
      changed.updatedAt = new Date('2026-03-04T05:06:07.089Z');
      await store().update(changed);
      expect(await store().findById(user.id)).to.deep.equal(changed);
      expect(await store().findByEmail(user.email)).to.equal(null);
    });

    it('lets a user keep their own email', async () => {
      const user = aUser();
      await store().create(user);
      user.name = 'Renamed';
      await store().update(user);
      expect((await store().findById(user.id))?.name).to.equal('Renamed');
    });

    it("rejects taking another user's email as USER.EMAIL_TAKEN and changes neither", async () => {
      const [alice, bob] = await createdIn(store(), 2);
      const clash = aUser({ id: bob!.id, email: alice!.email, name: 'Not Bob' });
      const error = await rejectionOf(store().update(clash));
      expect(error.code).to.equal('USER.EMAIL_TAKEN');
      expect(await store().findById(bob!.id)).to.deep.equal(bob);
      expect(await store().findById(alice!.id)).to.deep.equal(alice);
    });

    it('rejects updating a user that does not exist as USER.NOT_FOUND', async () => {
      const error = await rejectionOf(store().update(aUser()));
      expect(error.code).to.equal('USER.NOT_FOUND');
      expect((await store().list({ limit: 10 })).items).to.have.length(0);
    });
  });

  describe('delete', () => {
    it('answers true once, then false, and the user is gone', async () => {
      const [user, other] = await createdIn(store(), 2);
      expect(await store().delete(user!.id)).to.equal(true);
      expect(await store().findById(user!.id)).to.equal(null);
      expect(await store().delete(user!.id)).to.equal(false);
      expect(await store().findById(other!.id)).to.deep.equal(other);
    });

    it('answers false for an unknown id and for an id that is not a UUID', async () => {
      expect(await store().delete(aUser().id)).to.equal(false);
      expect(await store().delete('not-a-uuid')).to.equal(false);
    });

    it('frees the email for a new user', async () => {
      const [user] = await createdIn(store(), 1);
      await store().delete(user!.id);
      await store().create(aUser({ email: user!.email }));
      expect((await store().findByEmail(user!.email))?.id).to.not.equal(user!.id);
    });
  });
}
