import { expect } from 'chai';
import type { UserQuery, UserStore } from '../../../../src/domain/ports/user-store.js';
import {
  compareUsers,
  matchesFilter,
  USER_SORTS,
  type UserFilter,
  type UserSort,
} from '../../../../src/domain/user/user-list.js';
import type { User } from '../../../../src/domain/user/user.js';
import { aUser } from '../../../support/builders.js';
import { rejectionOf } from '../../../support/rejection.js';
import { createdIn } from './fixture.js';

/** Every page of `query`, `limit` at a time, following `last`. */
async function allPages(store: UserStore, query: Omit<UserQuery, 'limit'>, limit: number): Promise<User[]> {
  const seen: User[] = [];
  let after: UserQuery['after'];
  for (let pages = 0; pages < 100; pages += 1) {
    const page = await store.list({ ...query, limit, after });
    seen.push(...page.items);
    if (!page.last) return seen;
    after = page.last;
  }
  throw new Error('more than 100 pages');
}

const ids = (users: User[]) => users.map((u) => u.id);
const at = (minute: number) => new Date(Date.UTC(2026, 0, 2, 3, minute, 0, 500));

/**
 * A varied set: distinct and equal creation times, names equal but for case, names that are a
 * prefix of others, non-ASCII names, every role and status, and deleted users.
 */
async function variedIn(store: UserStore): Promise<User[]> {
  const specs: Partial<User>[] = [
    { name: 'alice Smith', email: 'zed@example.com', createdAt: at(5) },
    { name: 'Alice smith', email: 'alice@example.com', createdAt: at(5) },
    { name: 'Alistair', email: 'ali@example.org', createdAt: at(1), role: 'admin' },
    { name: 'bob', email: 'b.o.b@example.com', createdAt: at(9), status: 'disabled' },
    { name: 'Émile Zola', email: 'emile@example.fr', createdAt: at(3) },
    { name: 'émile zola', email: 'e2@example.fr', createdAt: at(3), role: 'admin', status: 'disabled' },
    { name: 'Carol 100%_off', email: 'carol_100%@example.com', createdAt: at(7) },
    { name: 'Dave', email: 'dave@example.com', createdAt: at(2), deletedAt: at(30) },
    { name: 'Deleted Disabled', email: 'dd@example.com', createdAt: at(4), status: 'disabled', deletedAt: at(31) },
    { name: '😀 Emoji', email: 'emoji@example.com', createdAt: at(6) },
    { name: 'zed', email: 'z@example.com', createdAt: at(8), role: 'admin' },
  ];
  const users = specs.map((spec) => aUser({ ...spec, updatedAt: spec.createdAt }));
  for (const user of users) await store.create(user);
  return users;
}

/** Listing users: filters, each sort in both directions, keyset pages, and the restore-window scan. */
export function listAssertions(store: () => UserStore) {
  describe('list', () => {
    it('pages through 25 users created at one instant in id order (the tiebreak) with limit, after and last', async () => {
      const users = await createdIn(store(), 25);
      const first = await store().list({ limit: 10 });
      const second = await store().list({ limit: 10, after: first.last! });
      const third = await store().list({ limit: 10, after: second.last! });
      expect(ids(first.items)).to.deep.equal(ids(users.slice(0, 10)));
      expect(ids(second.items)).to.deep.equal(ids(users.slice(10, 20)));
      expect(ids(third.items)).to.deep.equal(ids(users.slice(20)));
      expect(first.last?.id).to.equal(users[9]!.id);
      expect(third.last).to.equal(null);
      expect(third.items[4]).to.deep.equal(users[24]);
    });

    it('answers last only when more items follow', async () => {
      await createdIn(store(), 5);
      expect((await store().list({ limit: 5 })).last).to.equal(null);
      expect((await store().list({ limit: 4 })).last).to.not.equal(null);
    });

    it('treats after as exclusive, even for a user that no longer exists', async () => {
      const users = await createdIn(store(), 4);
      const page = await store().list({ limit: 2 });
      await store().delete(users[1]!.id);
      const next = await store().list({ limit: 10, after: page.last! });
      expect(ids(next.items)).to.deep.equal(ids(users.slice(2)));
    });

    it('filters by exact email only', async () => {
      const [target] = await createdIn(store(), 3);
      expect((await store().list({ limit: 10, email: target!.email })).items).to.deep.equal([target]);
      expect((await store().list({ limit: 10, email: target!.email.toUpperCase() })).items).to.have.length(0);
      expect((await store().list({ limit: 10, email: target!.email.slice(0, 6) })).items).to.have.length(0);
    });

    it('answers an empty page for an empty store', async () => {
      expect(await store().list({ limit: 10 })).to.deep.equal({ items: [], last: null });
    });

    it('rejects an after whose id is not a UUID, or whose createdAt is not a date, as REQUEST.INVALID', async () => {
      const id = '0190a000-0000-7000-8000-000000000000';
      for (const after of [
        { value: '2026-01-01T00:00:00.000Z', id: "x' or 1=1 --" },
        { value: 'yesterday', id },
      ]) {
        expect((await rejectionOf(store().list({ limit: 10, after }))).code).to.equal('REQUEST.INVALID');
      }
    });

    for (const sort of USER_SORTS) {
      it(`orders by ${sort} with the id as tiebreak, the same in one page and in pages of 2`, async () => {
        const users = await variedIn(store());
        const expected = users.filter((u) => matchesFilter(u, {})).sort(compareUsers(sort));
        expect(ids((await store().list({ limit: 100, sort })).items)).to.deep.equal(ids(expected));
        expect(ids(await allPages(store(), { sort }, 2))).to.deep.equal(ids(expected));
      });
    }

    const filters: [string, UserFilter][] = [
      ['role admin', { role: 'admin' }],
      ['status active', { status: 'active' }],
      ['status disabled', { status: 'disabled' }],
      ['status deleted', { status: 'deleted' }],
      ['q "ali" (email and name prefixes)', { q: 'ali' }],
      ['q "émile" (non-ASCII, lower-cased)', { q: 'émile' }],
      ['q "😀" (beyond the BMP)', { q: '😀' }],
      ['q "carol_100%" (LIKE wildcards, literally)', { q: 'carol_100%' }],
      ['q "b.o" (a regex dot, literally)', { q: 'b.o' }],
      ['q "lice" (not a prefix)', { q: 'lice' }],
      ['q ".*" and "\\\\" (match nothing)', { q: '.*' }],
      ['createdAfter and createdBefore, strictly', { createdAfter: at(3), createdBefore: at(7) }],
      ['role, status, q and dates together', { role: 'user', status: 'active', q: 'a', createdAfter: at(1) }],
    ];
    for (const [title, filter] of filters) {
      it(`filters by ${title}, in every sort and across pages`, async () => {
        const users = await variedIn(store());
        for (const sort of ['createdAt', '-name', 'email'] as UserSort[]) {
          const expected = users.filter((u) => matchesFilter(u, filter)).sort(compareUsers(sort));
          expect(ids(await allPages(store(), { ...filter, sort }, 2)), sort).to.deep.equal(ids(expected));
        }
      });
    }

    it('has the expected matches for the varied set (the reference itself checked)', async () => {
      const users = await variedIn(store());
      const names = (filter: UserFilter) =>
        users
          .filter((u) => matchesFilter(u, filter))
          .map((u) => u.name)
          .sort();
      expect(names({ q: 'ali' })).to.deep.equal(['Alice smith', 'Alistair', 'alice Smith'].sort());
      expect(names({ q: 'lice' })).to.deep.equal([]);
      expect(names({ status: 'deleted' })).to.deep.equal(['Dave', 'Deleted Disabled']);
      expect(names({ createdAfter: at(3), createdBefore: at(7) })).to.deep.equal(
        ['alice Smith', 'Alice smith', '😀 Emoji'].sort(),
      );
    });

    it('lists the users deleted before a moment, oldest deletion first, up to a limit', async () => {
      await variedIn(store());
      expect((await store().listDeletedBefore(at(40), 10)).map((u) => u.name)).to.deep.equal([
        'Dave',
        'Deleted Disabled',
      ]);
      expect((await store().listDeletedBefore(at(31), 10)).map((u) => u.name)).to.deep.equal(['Dave']);
      expect((await store().listDeletedBefore(at(40), 1)).map((u) => u.name)).to.deep.equal(['Dave']);
      expect(await store().listDeletedBefore(at(30), 10)).to.deep.equal([]);
    });
  });

  describe('soft-deleted users', () => {
    it('are found by id or email only with withDeleted, and keep their email taken', async () => {
      const [user] = await createdIn(store(), 1);
      user!.deletedAt = new Date('2026-02-01T00:00:00.000Z');
      await store().update(user!);
      expect(await store().findById(user!.id)).to.equal(null);
      expect(await store().findByEmail(user!.email)).to.equal(null);
      expect(await store().findById(user!.id, { withDeleted: true })).to.deep.equal(user);
      expect(await store().findByEmail(user!.email, { withDeleted: true })).to.deep.equal(user);
      const clash = aUser({ email: user!.email });
      expect((await rejectionOf(store().create(clash))).code).to.equal('USER.EMAIL_TAKEN');
    });

    it('come back, status kept, when deletedAt is cleared; a stale version is PRECONDITION.FAILED', async () => {
      const [user] = await createdIn(store(), 1);
      user!.status = 'disabled';
      user!.deletedAt = new Date('2026-02-01T00:00:00.000Z');
      await store().update(user!);
      const stale = user!.version - 1;
      user!.deletedAt = null;
      expect((await rejectionOf(store().update(user!, stale))).code).to.equal('PRECONDITION.FAILED');
      await store().update(user!, user!.version);
      expect(await store().findById(user!.id)).to.deep.equal(user);
      expect((await store().list({ limit: 10, status: 'disabled' })).items).to.deep.equal([user]);
    });

    it('are never undeleted or re-enabled by a write from a stale read without an expected version', async () => {
      const [user] = await createdIn(store(), 1);
      const stale = (await store().findById(user!.id))!;
      const current = (await store().findById(user!.id))!;
      Object.assign(current, { status: 'disabled', deletedAt: new Date('2026-02-01T00:00:00.000Z') });
      await store().update(current, current.version);
      stale.name = 'Written from a stale read';
      await store().update(stale);
      const stored = (await store().findById(user!.id, { withDeleted: true }))!;
      expect([stored.name, stored.status, stored.deletedAt]).to.deep.equal([
        'Written from a stale read',
        'disabled',
        current.deletedAt,
      ]);
      expect([stale.status, stale.deletedAt, stale.version]).to.deep.equal(['disabled', current.deletedAt, 3]);
      expect((await store().list({ limit: 5, status: 'deleted' })).items.map((u) => u.id)).to.deep.equal([user!.id]);
    });

    it('are deleted for good by delete, also with the version read', async () => {
      const [user] = await createdIn(store(), 1);
      user!.deletedAt = new Date('2026-02-01T00:00:00.000Z');
      await store().update(user!);
      expect((await rejectionOf(store().delete(user!.id, user!.version - 1))).code).to.equal('PRECONDITION.FAILED');
      expect(await store().delete(user!.id, user!.version)).to.equal(true);
      expect(await store().findById(user!.id, { withDeleted: true })).to.equal(null);
      expect(await store().listDeletedBefore(new Date('2027-01-01T00:00:00.000Z'), 10)).to.deep.equal([]);
    });
  });
}
