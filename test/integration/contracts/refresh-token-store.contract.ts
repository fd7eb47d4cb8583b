import { expect } from 'chai';
import { v7 } from 'uuid';
import type { RefreshTokenStore } from '../../../src/domain/ports/refresh-token-store.js';
import { aRefreshToken, at } from '../../support/builders.js';

export interface RefreshStoreFixture {
  store: RefreshTokenStore;
  /** A user id the store may reference (SQL stores keep a foreign key to users). */
  newUserId(): Promise<string>;
  cleanup(): Promise<void>;
}

/** The same assertions for every RefreshTokenStore adapter. */
export function refreshTokenStoreContract(name: string, make: () => Promise<RefreshStoreFixture>) {
  describe(`RefreshTokenStore contract: ${name}`, () => {
    let fx: RefreshStoreFixture;
    beforeEach(async () => (fx = await make()));
    afterEach(async () => fx.cleanup());

    it('finds an inserted token by digest with every field intact', async () => {
      const token = aRefreshToken(await fx.newUserId());
      await fx.store.insert(token);
      const found = await fx.store.findByDigest(token.tokenDigest);
      expect(found).to.deep.equal(token);
      expect(await fx.store.findByDigest('0'.repeat(64))).to.equal(null);
    });

    it('keeps how the session was proven: a password alone, and a password and a one-time code', async () => {
      const userId = await fx.newUserId();
      const pwd = aRefreshToken(userId);
      const mfa = aRefreshToken(userId);
      mfa.amr = ['pwd', 'otp'];
      for (const t of [pwd, mfa]) await fx.store.insert(t);
      expect((await fx.store.findByDigest(pwd.tokenDigest))?.amr).to.deep.equal(['pwd']);
      expect(await fx.store.findByDigest(mfa.tokenDigest)).to.deep.equal(mfa);
    });

    it('spends a token exactly once, even when many try at the same time', async () => {
      const token = aRefreshToken(await fx.newUserId());
      await fx.store.insert(token);
      const results = await Promise.all(Array.from({ length: 10 }, () => fx.store.spend(token.id, at(5))));
      expect(results.filter(Boolean)).to.have.length(1);
      expect((await fx.store.findByDigest(token.tokenDigest))?.spentAt?.toISOString()).to.equal(at(5).toISOString());
    });

    it('revokes a whole family and nothing else', async () => {
      const userId = await fx.newUserId();
      const family = v7();
      const a = aRefreshToken(userId, family);
      const b = aRefreshToken(userId, family);
      const other = aRefreshToken(userId);
      for (const t of [a, b, other]) await fx.store.insert(t);
      await fx.store.revokeFamily(family, at(9));
      expect(await fx.store.isFamilyActive(family)).to.equal(false);
      expect(await fx.store.isFamilyActive(other.familyId)).to.equal(true);
      expect((await fx.store.findByDigest(b.tokenDigest))?.revokedAt?.toISOString()).to.equal(at(9).toISOString());
    });

    it('keeps a family revoked when a token joins it afterwards', async () => {
      const userId = await fx.newUserId();
      const family = v7();
      await fx.store.insert(aRefreshToken(userId, family));
      await fx.store.revokeFamily(family, at(9));
      await fx.store.insert(aRefreshToken(userId, family));
      expect(await fx.store.isFamilyActive(family)).to.equal(false);
    });

    it("revokes every family of one user and leaves other users' alone", async () => {
      const [u1, u2] = [await fx.newUserId(), await fx.newUserId()];
      const t1 = aRefreshToken(u1);
      const t2 = aRefreshToken(u1);
      const t3 = aRefreshToken(u2);
      for (const t of [t1, t2, t3]) await fx.store.insert(t);
      await fx.store.revokeAllOfUser(u1, at(7));
      expect(await fx.store.isFamilyActive(t1.familyId)).to.equal(false);
      expect(await fx.store.isFamilyActive(t2.familyId)).to.equal(false);
      expect(await fx.store.isFamilyActive(t3.familyId)).to.equal(true);
    });

    it('treats a family it never saw as active (nothing revoked it)', async () => {
      expect(await fx.store.isFamilyActive(v7())).to.equal(true);
    });
  });
}
