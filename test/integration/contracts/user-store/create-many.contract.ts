import { expect } from 'chai';
import type { UserStore } from '../../../../src/domain/ports/user-store.js';
import type { User } from '../../../../src/domain/user/user.js';
import { aUser } from '../../../support/builders.js';
import { rejectionOf } from '../../../support/rejection.js';

const ids = (users: readonly User[]) => users.map((u) => u.id).sort();
const stored = async (store: UserStore) => ids((await store.list({ limit: 2_000 })).items);

/** Creating a batch of users in one call (bulk seeding): every field kept, all or nothing. */
export function createManyAssertions(store: () => UserStore) {
  describe('createMany', () => {
    it('creates every user of the batch with every field intact, at version 1', async () => {
      const users = [
        aUser({ role: 'admin', profile: { theme: 'dark', tags: ['a', { b: null }] } }),
        aUser({ name: 'Zoë 日本語', createdAt: new Date('1999-12-31T23:59:59.999Z') }),
        aUser({ version: 7 }),
      ];
      await store().createMany(users);
      for (const user of users) {
        expect(await store().findById(user.id)).to.deep.equal(Object.assign(user, { version: 1 }));
        expect(await store().findByEmail(user.email)).to.deep.equal(user);
      }
    });

    it('creates a batch of 1,000 in one call', async () => {
      const users = Array.from({ length: 1_000 }, () => aUser());
      await store().createMany(users);
      expect(await stored(store())).to.deep.equal(ids(users));
    });

    it('does nothing for an empty batch', async () => {
      await store().createMany([]);
      expect(await stored(store())).to.deep.equal([]);
    });

    it('rejects a batch holding a stored email as USER.EMAIL_TAKEN and stores none of it', async () => {
      const first = aUser();
      await store().create(first);
      const batch = [aUser(), aUser(), aUser({ email: first.email }), aUser()];
      const error = await rejectionOf(store().createMany(batch));
      expect(error.code).to.equal('USER.EMAIL_TAKEN');
      expect(await stored(store())).to.deep.equal([first.id]);
      expect(await store().findByEmail(first.email)).to.deep.equal(first);
    });

    it('rejects a batch holding one email twice as USER.EMAIL_TAKEN and stores none of it', async () => {
      const twice = aUser();
      const batch = [aUser(), twice, aUser(), aUser({ email: twice.email })];
      const error = await rejectionOf(store().createMany(batch));
      expect(error.code).to.equal('USER.EMAIL_TAKEN');
      expect(await stored(store())).to.deep.equal([]);
    });
  });
}
