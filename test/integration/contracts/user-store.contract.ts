import { expect } from 'chai';
import type { UserStore } from '../../../src/domain/ports/user-store.js';
import { User } from '../../../src/domain/user/user.js';
import { aUser } from '../../support/builders.js';
import { rejectionOf } from '../../support/rejection.js';

export interface UserStoreFixture {
  store: UserStore;
  cleanup(): Promise<void>;
}

const byId = (a: User, b: User) => (a.id < b.id ? -1 : 1);

/** The same assertions for every UserStore adapter: memory, SQLite, PostgreSQL. */
export function userStoreContract(name: string, makeStore: () => Promise<UserStoreFixture>) {
  describe(`UserStore contract: ${name}`, () => {
    let store: UserStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => ({ store, cleanup } = await makeStore()));
    afterEach(async () => cleanup());

    async function created(count: number): Promise<User[]> {
      const users = Array.from({ length: count }, () => aUser());
      for (const user of [...users].reverse()) await store.create(user);
      return users.sort(byId);
    }

    describe('create and find', () => {
      it('finds a created user by id and by email with every field intact', async () => {
        const user = aUser({ role: 'admin', profile: { theme: 'dark' } });
        await store.create(user);
        const byIdFound = await store.findById(user.id);
        expect(byIdFound).to.be.instanceOf(User);
        expect(byIdFound).to.deep.equal(user);
        expect(await store.findByEmail(user.email)).to.deep.equal(user);
      });

      it('answers null for an unknown id, an unknown email and an id that is not a UUID', async () => {
        await created(1);
        expect(await store.findById(aUser().id)).to.equal(null);
        expect(await store.findByEmail('nobody@example.com')).to.equal(null);
        expect(await store.findById('not-a-uuid')).to.equal(null);
      });

      it('keeps its own copy: changing a user in hand changes nothing stored', async () => {
        const user = aUser({ profile: { tags: ['a'] } });
        await store.create(user);
        user.name = 'Changed after create';
        const found = await store.findById(user.id);
        found!.name = 'Changed after find';
        (found!.profile.tags as string[]).push('b');
        const again = await store.findById(user.id);
        expect(again?.name).to.not.match(/^Changed/);
        expect(again?.profile).to.deep.equal({ tags: ['a'] });
      });

      it('rejects a second user with the same email as USER.EMAIL_TAKEN and keeps only the first', async () => {
        const first = aUser();
        await store.create(first);
        const error = await rejectionOf(store.create(aUser({ email: first.email })));
        expect(error.code).to.equal('USER.EMAIL_TAKEN');
        const page = await store.list({ limit: 10, email: first.email });
        expect(page.items.map((u) => u.id)).to.deep.equal([first.id]);
      });

      it('lets exactly one of many concurrent creates with one email succeed', async () => {
        const email = aUser().email;
        const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => store.create(aUser({ email }))));
        const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(outcomes.length - failures.length).to.equal(1);
        expect(failures.map((f) => (f.reason as { code?: string }).code)).to.deep.equal(Array(9).fill('USER.EMAIL_TAKEN'));
        expect((await store.list({ limit: 20, email })).items).to.have.length(1);
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
        await store.create(user);
        expect((await store.findById(user.id))?.profile).to.deep.equal(profile);
      });

      it('returns dates to the millisecond, in UTC', async () => {
        const createdAt = new Date('1999-12-31T23:59:59.999Z');
        const updatedAt = new Date('2031-06-15T12:00:00.001Z');
        const user = aUser({ createdAt, updatedAt });
        await store.create(user);
        const found = await store.findById(user.id);
        expect(found?.createdAt.toISOString()).to.equal(createdAt.toISOString());
        expect(found?.updatedAt.toISOString()).to.equal(updatedAt.toISOString());
      });
    });

    describe('update', () => {
      it('stores every changed field and keeps createdAt', async () => {
        const user = aUser();
        await store.create(user);
        const changed = aUser({ id: user.id, role: 'admin', profile: { v: 2 }, passwordHash: 'new-hash' });
        changed.updatedAt = new Date('2026-03-04T05:06:07.089Z');
        await store.update(changed);
        expect(await store.findById(user.id)).to.deep.equal(changed);
        expect(await store.findByEmail(user.email)).to.equal(null);
      });

      it('lets a user keep their own email', async () => {
        const user = aUser();
        await store.create(user);
        user.name = 'Renamed';
        await store.update(user);
        expect((await store.findById(user.id))?.name).to.equal('Renamed');
      });

      it("rejects taking another user's email as USER.EMAIL_TAKEN and changes neither", async () => {
        const [alice, bob] = await created(2);
        const clash = aUser({ id: bob!.id, email: alice!.email, name: 'Not Bob' });
        const error = await rejectionOf(store.update(clash));
        expect(error.code).to.equal('USER.EMAIL_TAKEN');
        expect(await store.findById(bob!.id)).to.deep.equal(bob);
        expect(await store.findById(alice!.id)).to.deep.equal(alice);
      });

      it('rejects updating a user that does not exist as USER.NOT_FOUND', async () => {
        const error = await rejectionOf(store.update(aUser()));
        expect(error.code).to.equal('USER.NOT_FOUND');
        expect((await store.list({ limit: 10 })).items).to.have.length(0);
      });
    });

    describe('delete', () => {
      it('answers true once, then false, and the user is gone', async () => {
        const [user, other] = await created(2);
        expect(await store.delete(user!.id)).to.equal(true);
        expect(await store.findById(user!.id)).to.equal(null);
        expect(await store.delete(user!.id)).to.equal(false);
        expect(await store.findById(other!.id)).to.deep.equal(other);
      });

      it('answers false for an unknown id and for an id that is not a UUID', async () => {
        expect(await store.delete(aUser().id)).to.equal(false);
        expect(await store.delete('not-a-uuid')).to.equal(false);
      });

      it('frees the email for a new user', async () => {
        const [user] = await created(1);
        await store.delete(user!.id);
        await store.create(aUser({ email: user!.email }));
        expect((await store.findByEmail(user!.email))?.id).to.not.equal(user!.id);
      });
    });

    describe('list', () => {
      it('pages through 25 users in id order with limit, after and last', async () => {
        const users = await created(25);
        const first = await store.list({ limit: 10 });
        const second = await store.list({ limit: 10, after: first.last! });
        const third = await store.list({ limit: 10, after: second.last! });
        expect(first.items.map((u) => u.id)).to.deep.equal(users.slice(0, 10).map((u) => u.id));
        expect(second.items.map((u) => u.id)).to.deep.equal(users.slice(10, 20).map((u) => u.id));
        expect(third.items.map((u) => u.id)).to.deep.equal(users.slice(20).map((u) => u.id));
        expect([first.last, second.last, third.last]).to.deep.equal([users[9]!.id, users[19]!.id, null]);
        expect(third.items[4]).to.deep.equal(users[24]);
      });

      it('answers last only when more items follow', async () => {
        const users = await created(5);
        expect((await store.list({ limit: 5 })).last).to.equal(null);
        expect((await store.list({ limit: 4 })).last).to.equal(users[3]!.id);
        expect(await store.list({ limit: 2, after: users[2]!.id })).to.deep.equal({ items: users.slice(3), last: null });
      });

      it('treats after as exclusive, even for an id that no longer exists', async () => {
        const users = await created(4);
        await store.delete(users[1]!.id);
        const page = await store.list({ limit: 10, after: users[1]!.id });
        expect(page.items.map((u) => u.id)).to.deep.equal([users[2]!.id, users[3]!.id]);
      });

      it('filters by exact email only', async () => {
        const [target] = await created(3);
        expect((await store.list({ limit: 10, email: target!.email })).items).to.deep.equal([target]);
        expect((await store.list({ limit: 10, email: target!.email.toUpperCase() })).items).to.have.length(0);
        expect((await store.list({ limit: 10, email: target!.email.slice(0, 6) })).items).to.have.length(0);
      });

      it('answers an empty page for an empty store', async () => {
        expect(await store.list({ limit: 10 })).to.deep.equal({ items: [], last: null });
      });

      it('rejects an after that is not a UUID as REQUEST.INVALID', async () => {
        const error = await rejectionOf(store.list({ limit: 10, after: "x' or 1=1 --" }));
        expect(error.code).to.equal('REQUEST.INVALID');
      });
    });
  });
}
