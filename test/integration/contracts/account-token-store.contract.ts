import { expect } from 'chai';
import type { AccountTokenStore } from '../../../src/domain/ports/account-token-store.js';
import { anAccountToken } from '../../support/account-tokens.js';
import { at } from '../../support/builders.js';

export interface AccountTokenStoreFixture {
  store: AccountTokenStore;
  /** A user id the store may reference (SQL stores keep a foreign key to users). */
  newUserId(): Promise<string>;
  cleanup(): Promise<void>;
}

/** The same assertions for every AccountTokenStore adapter: memory, SQLite, PostgreSQL, MongoDB. */
export function accountTokenStoreContract(name: string, make: () => Promise<AccountTokenStoreFixture>) {
  describe(`AccountTokenStore contract: ${name}`, () => {
    let fx: AccountTokenStoreFixture;
    let store: AccountTokenStore;
    beforeEach(async () => {
      fx = await make();
      store = fx.store;
    });
    afterEach(async () => fx.cleanup());

    it('finds an inserted token by digest with every field intact, a null email included', async () => {
      const userId = await fx.newUserId();
      const mailed = anAccountToken(userId, {
        createdAt: new Date('2026-01-01T00:00:01.234Z'),
        expiresAt: new Date('2026-01-01T02:00:00.005Z'),
      });
      const step = anAccountToken(userId, { purpose: 'totp-step', email: null });
      expect(await store.insert(mailed)).to.equal(true);
      expect(await store.insert(step)).to.equal(true);
      expect(await store.findByDigest(mailed.digest)).to.deep.equal(mailed);
      expect(await store.findByDigest(step.digest)).to.deep.equal(step);
      expect(await store.findByDigest('no-such-digest')).to.equal(null);
    });

    it('refuses a second token with the same digest, expired or not, and keeps the first as it was', async () => {
      const userId = await fx.newUserId();
      const first = anAccountToken(userId, { expiresAt: at(1) });
      await store.insert(first);
      const clash = anAccountToken(await fx.newUserId(), { digest: first.digest, purpose: 'verify-email' });
      expect(await store.insert(clash)).to.equal(false);
      expect(await store.findByDigest(first.digest)).to.deep.equal(first);
      expect(await store.consume(clash.id)).to.equal(false);
    });

    it('consumes a token once: true, then false, and it is gone', async () => {
      const token = anAccountToken(await fx.newUserId());
      await store.insert(token);
      expect(await store.consume(token.id)).to.equal(true);
      expect(await store.consume(token.id)).to.equal(false);
      expect(await store.findByDigest(token.digest)).to.equal(null);
    });

    it('answers false for consuming an unknown id and an id that is not a UUID', async () => {
      expect(await store.consume(anAccountToken('x').id)).to.equal(false);
      expect(await store.consume('not-a-uuid')).to.equal(false);
    });

    it('lets exactly one of 8 concurrent consumes of one token win', async () => {
      const token = anAccountToken(await fx.newUserId());
      await store.insert(token);
      const results = await Promise.all(Array.from({ length: 8 }, () => store.consume(token.id)));
      expect(results.filter(Boolean)).to.have.length(1);
      expect(await store.findByDigest(token.digest)).to.equal(null);
    });

    it("revokes every token of one user with one purpose, and nobody else's or any other purpose", async () => {
      const [ada, bob] = [await fx.newUserId(), await fx.newUserId()];
      const gone = [anAccountToken(ada), anAccountToken(ada)];
      const kept = [
        anAccountToken(ada, { purpose: 'verify-email' }),
        anAccountToken(ada, { purpose: 'recovery-code', email: null }),
        anAccountToken(bob),
      ];
      for (const t of [...gone, ...kept]) await store.insert(t);
      await store.revokeAll(ada, 'reset-password');
      for (const t of gone) expect(await store.findByDigest(t.digest)).to.equal(null);
      for (const t of kept) expect(await store.findByDigest(t.digest)).to.deep.equal(t);
      await store.revokeAll(bob, 'change-email');
      expect(await store.findByDigest(kept[2]!.digest)).to.deep.equal(kept[2]);
    });

    it('deletes only the tokens that expired before now, and counts them', async () => {
      const userId = await fx.newUserId();
      const expired = [anAccountToken(userId, { expiresAt: at(10) }), anAccountToken(userId, { expiresAt: at(19) })];
      const live = [anAccountToken(userId, { expiresAt: at(20) }), anAccountToken(userId, { expiresAt: at(3600) })];
      for (const t of [...expired, ...live]) await store.insert(t);
      expect(await store.deleteExpired(at(20))).to.equal(2);
      for (const t of expired) expect(await store.findByDigest(t.digest)).to.equal(null);
      for (const t of live) expect(await store.findByDigest(t.digest)).to.deep.equal(t);
      expect(await store.deleteExpired(at(20))).to.equal(0);
    });
  });
}
