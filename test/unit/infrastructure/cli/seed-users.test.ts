import { expect } from 'chai';
import sinon from 'sinon';
import { InMemoryUserStore } from '../../../../src/adapters/persistence/in-memory/in-memory-user-store.js';
import { fakeUsers } from '../../../../src/infrastructure/cli/fake-users.js';
import { seedUsers } from '../../../../src/infrastructure/cli/seed-users.js';
import { aUser } from '../../../support/builders.js';
import { rejectionOf } from '../../../support/rejection.js';

const storedIds = async (store: InMemoryUserStore) => (await store.list({ limit: 1_000 })).items.map((u) => u.id);
const sortedIds = (users: { id: string }[]) => users.map((u) => u.id).sort();

describe('seedUsers', () => {
  afterEach(() => sinon.restore());

  it('stores every user with one createMany per batch, the last batch the remainder', async () => {
    const store = new InMemoryUserStore();
    const createMany = sinon.spy(store, 'createMany');
    const users = Array.from({ length: 25 }, () => aUser());

    expect(await seedUsers(store, users, { batch: 10, concurrency: 2 })).to.deep.equal({ created: 25, taken: 0 });

    expect(createMany.args.map(([batch]) => batch.length)).to.deep.equal([10, 10, 5]);
    expect(await storedIds(store)).to.deep.equal(sortedIds(users));
  });

  it('retries a batch holding a taken email one user at a time, skipping and counting that user', async () => {
    const store = new InMemoryUserStore();
    const users = Array.from({ length: 25 }, () => aUser());
    const earlier = aUser({ email: users[13]!.email });
    await store.create(earlier);
    const create = sinon.spy(store, 'create');

    expect(await seedUsers(store, users, { batch: 10, concurrency: 1 })).to.deep.equal({ created: 24, taken: 1 });

    expect(create.args.map(([user]) => user.id)).to.deep.equal(users.slice(10, 20).map((u) => u.id));
    expect(await storedIds(store)).to.deep.equal(sortedIds([earlier, ...users.filter((_, i) => i !== 13)]));
  });

  it('stops at any other failure of a batch', async () => {
    const store = new InMemoryUserStore();
    sinon.stub(store, 'createMany').rejects(new Error('disk full'));

    const error = await rejectionOf(seedUsers(store, [aUser()], { batch: 10, concurrency: 1 }));

    expect(error.message).to.equal('disk full');
  });

  it('reads its users a few batches ahead, not all at once', async () => {
    const store = new InMemoryUserStore();
    let drawn = 0;
    function* counted() {
      for (const user of fakeUsers(100, 'hash')) {
        drawn += 1;
        yield user;
      }
    }
    const createMany = sinon.stub(store, 'createMany').callsFake(async () => {
      if (createMany.callCount === 1) expect(drawn).to.be.at.most(3 * 10);
    });

    await seedUsers(store, counted(), { batch: 10, concurrency: 2 });

    expect([drawn, createMany.callCount]).to.deep.equal([100, 10]);
  });
});

describe('fakeUsers', () => {
  const users = [...fakeUsers(20_000, 'the-hash', new Date('2026-06-01T00:00:00Z'))];

  it('draws users with unique emails and ids across the whole run', () => {
    expect(new Set(users.map((u) => u.email)).size).to.equal(users.length);
    expect(new Set(users.map((u) => u.id)).size).to.equal(users.length);
  });

  it('makes ordinary users sharing the given hash, created within two years before now', () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    for (const user of users) {
      expect([user.role, user.passwordHash]).to.deep.equal(['user', 'the-hash']);
      expect(user.createdAt.getTime()).to.be.within(now - 2 * 366 * 86_400_000, now);
      expect(user.updatedAt.getTime()).to.be.within(user.createdAt.getTime(), now);
    }
  });

  it('stamps ids with createdAt, so id order is creation order', () => {
    const byId = [...users].sort((a, b) => (a.id < b.id ? -1 : 1));
    const times = byId.map((u) => u.createdAt.getTime());
    expect(times).to.deep.equal([...times].sort((a, b) => a - b));
  });

  it('names a user in their email, numbered by their place in the run, and gives them a profile', () => {
    const local = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
    for (const n of [0, 19_999]) {
      const user = users[n]!;
      const first = user.name.slice(0, user.name.indexOf(' '));
      expect(user.email.startsWith(`${local(first)}.`), user.email).to.equal(true);
      expect(user.email.endsWith(`${n}@example.com`), user.email).to.equal(true);
      expect(user.profile).to.include.keys('bio', 'jobTitle', 'location', 'locale');
    }
  });
});
