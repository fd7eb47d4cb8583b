import { expect } from 'chai';
import type { IdentityStore } from '../../../src/domain/ports/identity-store.js';
import { at } from '../../support/builders.js';
import { anIdentity } from '../../support/identities.js';

export interface IdentityStoreFixture {
  store: IdentityStore;
  /** A user id the store may reference (SQL stores keep a foreign key to users). */
  newUserId(): Promise<string>;
  cleanup(): Promise<void>;
}

/** The same assertions for every IdentityStore adapter: memory, SQLite, PostgreSQL, MongoDB. */
export function identityStoreContract(name: string, make: () => Promise<IdentityStoreFixture>) {
  describe(`IdentityStore contract: ${name}`, () => {
    let fx: IdentityStoreFixture;
    let store: IdentityStore;
    beforeEach(async () => {
      fx = await make();
      store = fx.store;
    });
    afterEach(async () => fx.cleanup());

    it('finds an inserted identity by provider and subject with every field intact, a null email included', async () => {
      const userId = await fx.newUserId();
      const google = anIdentity(userId, { provider: 'google', createdAt: new Date('2026-01-01T00:00:01.234Z') });
      const corp = anIdentity(userId, { provider: 'corp', email: null });
      expect(await store.insert(google)).to.equal(true);
      expect(await store.insert(corp)).to.equal(true);
      expect(await store.findBySubject('google', google.subject)).to.deep.equal(google);
      expect(await store.findBySubject('corp', corp.subject)).to.deep.equal(corp);
      expect(await store.findBySubject('corp', google.subject)).to.equal(null);
      expect(await store.findBySubject('google', 'no-such-subject')).to.equal(null);
    });

    it('refuses a provider account linked already (to anyone) and a second account of one provider for a user', async () => {
      const [ada, bob] = [await fx.newUserId(), await fx.newUserId()];
      const first = anIdentity(ada);
      await store.insert(first);
      expect(await store.insert(anIdentity(bob, { subject: first.subject }))).to.equal(false);
      expect(await store.insert(anIdentity(ada))).to.equal(false);
      expect(await store.insert(anIdentity(bob, { provider: 'other', subject: first.subject }))).to.equal(true);
      expect(await store.listByUser(ada)).to.deep.equal([first]);
      expect(await store.countByUser(bob)).to.equal(1);
    });

    it('lets exactly one of eight concurrent inserts of one provider account win', async () => {
      const subject = 'the-same-subject';
      const users = await Promise.all(Array.from({ length: 8 }, () => fx.newUserId()));
      const won = await Promise.all(users.map((userId) => store.insert(anIdentity(userId, { subject }))));
      expect(won.filter(Boolean)).to.have.length(1);
    });

    it('lists and counts a user’s identities, oldest first, and nobody else’s', async () => {
      const [ada, bob] = [await fx.newUserId(), await fx.newUserId()];
      const later = anIdentity(ada, { provider: 'b', createdAt: at(20) });
      const earlier = anIdentity(ada, { provider: 'a', createdAt: at(10) });
      for (const i of [later, earlier, anIdentity(bob)]) await store.insert(i);
      expect(await store.listByUser(ada)).to.deep.equal([earlier, later]);
      expect(await store.countByUser(ada)).to.equal(2);
      expect(await store.listByUser(await fx.newUserId())).to.deep.equal([]);
      expect(await store.countByUser('not-a-uuid')).to.equal(0);
    });

    it('deletes the user’s identity at a provider: true once, then false; others stay', async () => {
      const [ada, bob] = [await fx.newUserId(), await fx.newUserId()];
      const [mine, other, theirs] = [anIdentity(ada), anIdentity(ada, { provider: 'other' }), anIdentity(bob)];
      for (const i of [mine, other, theirs]) await store.insert(i);
      expect(await store.delete(bob, 'test')).to.equal(true);
      expect(await store.delete(ada, 'test')).to.equal(true);
      expect(await store.delete(ada, 'test')).to.equal(false);
      expect(await store.listByUser(ada)).to.deep.equal([other]);
      expect(await store.findBySubject('test', mine.subject)).to.equal(null);
      expect(await store.delete('not-a-uuid', 'test')).to.equal(false);
    });
  });
}
