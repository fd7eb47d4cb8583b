import { expect } from 'chai';
import type { UserStore } from '../../../../src/domain/ports/user-store.js';
import type { User } from '../../../../src/domain/user/user.js';
import { aUser } from '../../../support/builders.js';

// Sealed secrets run to about 200 characters; this one is longer, with the characters base64url uses.
const SEALED = `v1.${'AbC-_09xyZ'.repeat(30)}`;

const withAccountFields = (user: User) =>
  Object.assign(user, {
    emailVerifiedAt: new Date('2026-02-03T04:05:06.789Z'),
    totpSecret: SEALED,
    totpEnabledAt: new Date('2026-02-04T05:06:07.008Z'),
  });

/** The verification and two-factor fields: null until set, then kept to the millisecond, and cleared again. */
export function accountFieldAssertions(store: () => UserStore) {
  describe('verification and two-factor fields', () => {
    it('keeps them null for a user created without them', async () => {
      const user = aUser();
      await store().create(user);
      const found = await store().findById(user.id);
      expect([found?.emailVerifiedAt, found?.totpSecret, found?.totpEnabledAt]).to.deep.equal([null, null, null]);
    });

    it('returns them as created through findById, findByEmail and list', async () => {
      const user = withAccountFields(aUser());
      await store().create(user);
      expect(await store().findById(user.id)).to.deep.equal(user);
      expect(await store().findByEmail(user.email)).to.deep.equal(user);
      expect((await store().list({ limit: 10, email: user.email })).items).to.deep.equal([user]);
    });

    it('stores them on update, and clears them again', async () => {
      const user = aUser();
      await store().create(user);
      const enrolled = withAccountFields(aUser({ id: user.id, email: user.email }));
      await store().update(enrolled);
      expect(await store().findById(user.id)).to.deep.equal(enrolled);
      expect((await store().list({ limit: 10 })).items).to.deep.equal([enrolled]);
      const cleared = Object.assign(aUser({ id: user.id, email: user.email }), {
        emailVerifiedAt: enrolled.emailVerifiedAt,
      });
      await store().update(cleared);
      expect(await store().findByEmail(user.email)).to.deep.equal(cleared);
    });
  });
}
