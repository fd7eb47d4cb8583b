import { expect } from 'chai';
import type { UserStore } from '../../../../src/domain/ports/user-store.js';
import { User } from '../../../../src/domain/user/user.js';
import { aUser } from '../../../support/builders.js';
import { rejectionOf } from '../../../support/rejection.js';
import { createdIn } from './fixture.js';

/** Creating users and finding them again, every field as it went in. */
export function createAndFindAssertions(store: () => UserStore) {
  describe('create and find', () => {
    it('finds a created user by id and by email with every field intact', async () => {
      const user = aUser({ role: 'admin', profile: { theme: 'dark' } });
      await store().create(user);
      const byIdFound = await store().findById(user.id);
      expect(byIdFound).to.be.instanceOf(User);
      expect(byIdFound).to.deep.equal(user);
      expect(await store().findByEmail(user.email)).to.deep.equal(user);
    });

    it('answers null for an unknown id, an unknown email and an id that is not a UUID', async () => {
      await createdIn(store(), 1);
      expect(await store().findById(aUser().id)).to.equal(null);
      expect(await store().findByEmail('nobody@example.com')).to.equal(null);
      expect(await store().findById('not-a-uuid')).to.equal(null);
    });

    it('keeps its own copy: changing a user in hand changes nothing stored', async () => {
      const user = aUser({ profile: { tags: ['a'] } });
      await store().create(user);
      user.name = 'Changed after create';
      const found = await store().findById(user.id);
      found!.name = 'Changed after find';
      (found!.profile.tags as string[]).push('b');
      const again = await store().findById(user.id);
      expect(again?.name).to.not.match(/^Changed/);
      expect(again?.profile).to.deep.equal({ tags: ['a'] });
    });

    it('rejects a second user with the same email as USER.EMAIL_TAKEN and keeps only the first', async () => {
      const first = aUser();
      await store().create(first);
      const error = await rejectionOf(store().create(aUser({ email: first.email })));
      expect(error.code).to.equal('USER.EMAIL_TAKEN');
      const page = await store().list({ limit: 10, email: first.email });
      expect(page.items.map((u) => u.id)).to.deep.equal([first.id]);
    });

    it('lets exactly one of many concurrent creates with one email succeed', async () => {
      const email = aUser().email;
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => store().create(aUser({ email }))));
      const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(outcomes.length - failures.length).to.equal(1);
      expect(failures.map((f) => (f.reason as { code?: string }).code)).to.deep.equal(
        Array(9).fill('USER.EMAIL_TAKEN'),
      );
      expect((await store().list({ limit: 20, email })).items).to.have.length(1);
    });
  });

  describe('round trips', () => {
    it('returns a profile of nested objects, arrays, unicode and every JSON type unchanged', async () => {
      const profile = {
        bio: 'Zoë „quotes“ 日本語 👩🏽‍💻 \\ "escaped" \n new line',
        address: { city: 'Łódź', geo: { lat: 51.759, lng: 19.456, verified: true } },
        tags: ['admin', 'ünïcödé', { nested: [1, 2.5, -3, null] }],
        empty: {},
        none: null,
        big: 9007199254740991,
        flags: [true, false],
      };
      const user = aUser({ profile });
      await store().create(user);
      expect((await store().findById(user.id))?.profile).to.deep.equal(profile);
    });

    it('returns dates to the millisecond, in UTC', async () => {
      const createdAt = new Date('1999-12-31T23:59:59.999Z');
      const updatedAt = new Date('2031-06-15T12:00:00.001Z');
      const user = aUser({ createdAt, updatedAt });
      await store().create(user);
      const found = await store().findById(user.id);
      expect(found?.createdAt.toISOString()).to.equal(createdAt.toISOString());
      expect(found?.updatedAt.toISOString()).to.equal(updatedAt.toISOString());
    });
  });
}
