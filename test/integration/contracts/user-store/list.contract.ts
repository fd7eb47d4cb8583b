import { expect } from 'chai';
import type { UserStore } from '../../../../src/domain/ports/user-store.js';
import { rejectionOf } from '../../../support/rejection.js';
import { createdIn } from './fixture.js';

/** Listing users: pages in id order, the email filter, the cursor. */
export function listAssertions(store: () => UserStore) {
  describe('list', () => {
    it('pages through 25 users in id order with limit, after and last', async () => {
      const users = await createdIn(store(), 25);
      const first = await store().list({ limit: 10 });
      const second = await store().list({ limit: 10, after: first.last! });
      const third = await store().list({ limit: 10, after: second.last! });
      expect(first.items.map((u) => u.id)).to.deep.equal(users.slice(0, 10).map((u) => u.id));
      expect(second.items.map((u) => u.id)).to.deep.equal(users.slice(10, 20).map((u) => u.id));
      expect(third.items.map((u) => u.id)).to.deep.equal(users.slice(20).map((u) => u.id));
      expect([first.last, second.last, third.last]).to.deep.equal([users[9]!.id, users[19]!.id, null]);
      expect(third.items[4]).to.deep.equal(users[24]);
    });

    it('answers last only when more items follow', async () => {
      const users = await createdIn(store(), 5);
      expect((await store().list({ limit: 5 })).last).to.equal(null);
      expect((await store().list({ limit: 4 })).last).to.equal(users[3]!.id);
      expect(await store().list({ limit: 2, after: users[2]!.id })).to.deep.equal({
        items: users.slice(3),
        last: null,
      });
    });

    it('treats after as exclusive, even for an id that no longer exists', async () => {
      const users = await createdIn(store(), 4);
      await store().delete(users[1]!.id);
      const page = await store().list({ limit: 10, after: users[1]!.id });
      expect(page.items.map((u) => u.id)).to.deep.equal([users[2]!.id, users[3]!.id]);
    });

    it('filters by exact email only', async () => {
      const [target] = await createdIn(store(), 3);
      expect((await store().list({ limit: 10, email: target!.email })).items).to.deep.equal([target]);
      expect((await store().list({ limit: 10, email: target!.email.toUpperCase() })).items).to.have.length(0);
      expect((await store().list({ limit: 10, email: target!.email.slice(0, 6) })).items).to.have.length(0);
    });

    it('combines the email filter with after', async () => {
      const [target] = await createdIn(store(), 3);
      expect((await store().list({ limit: 1, email: target!.email, after: target!.id })).items).to.deep.equal([]);
      const before = (
        await store().list({ limit: 1, email: target!.email, after: '00000000-0000-7000-8000-000000000000' })
      ).items;
      expect(before).to.deep.equal([target]);
    });

    it('answers an empty page for an empty store', async () => {
      expect(await store().list({ limit: 10 })).to.deep.equal({ items: [], last: null });
    });

    it('rejects an after that is not a UUID as REQUEST.INVALID', async () => {
      const error = await rejectionOf(store().list({ limit: 10, after: "x' or 1=1 --" }));
      expect(error.code).to.equal('REQUEST.INVALID');
    });
  });
}
