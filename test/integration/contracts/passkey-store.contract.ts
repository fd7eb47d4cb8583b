import { expect } from 'chai';
import type { PasskeyStore } from '../../../src/domain/ports/passkey-store.js';
import { at } from '../../support/builders.js';
import { aPasskey } from '../../support/passkey-builders.js';

export interface PasskeyStoreFixture {
  store: PasskeyStore;
  /** A user id the store may reference (SQL stores keep a foreign key to users). */
  newUserId(): Promise<string>;
  cleanup(): Promise<void>;
}

/** The same assertions for every PasskeyStore adapter: memory, SQLite, PostgreSQL, MongoDB. */
export function passkeyStoreContract(name: string, make: () => Promise<PasskeyStoreFixture>) {
  describe(`PasskeyStore contract: ${name}`, () => {
    let fx: PasskeyStoreFixture;
    let store: PasskeyStore;
    beforeEach(async () => {
      fx = await make();
      store = fx.store;
    });
    afterEach(async () => fx.cleanup());

    it('finds an inserted passkey by credential id with every field intact', async () => {
      const userId = await fx.newUserId();
      const synced = aPasskey(userId, {
        counter: 4_294_967_295,
        deviceType: 'multiDevice',
        backedUp: true,
        transports: [],
        lastUsedAt: at(10),
        createdAt: new Date('2026-01-01T00:00:01.234Z'),
      });
      const plain = aPasskey(userId);
      expect(await store.insert(synced)).to.equal(true);
      expect(await store.insert(plain)).to.equal(true);
      expect(await store.findById(synced.id)).to.deep.equal(synced);
      expect(await store.findById(plain.id)).to.deep.equal(plain);
      expect(await store.findById('bm8tc3VjaA')).to.equal(null);
      expect(await store.findById('x'.repeat(2000))).to.equal(null);
    });

    it("refuses a second passkey with the same credential id, even another user's, and keeps the first", async () => {
      const first = aPasskey(await fx.newUserId());
      await store.insert(first);
      const clash = aPasskey(await fx.newUserId(), { id: first.id, name: 'Other' });
      expect(await store.insert(clash)).to.equal(false);
      expect(await store.findById(first.id)).to.deep.equal(first);
    });

    it("lists and counts a user's passkeys only, oldest first", async () => {
      const [ada, bob] = [await fx.newUserId(), await fx.newUserId()];
      const newer = aPasskey(ada, { createdAt: at(20) });
      const older = aPasskey(ada, { createdAt: at(10) });
      for (const p of [newer, older, aPasskey(bob)]) await store.insert(p);
      expect(await store.listByUser(ada)).to.deep.equal([older, newer]);
      expect(await store.countByUser(ada)).to.equal(2);
      expect(await store.countByUser(bob)).to.equal(1);
      expect(await store.countByUser(await fx.newUserId())).to.equal(0);
      expect(await store.listByUser('not-a-uuid')).to.deep.equal([]);
    });

    it('records a use only against the counter it was checked with', async () => {
      const passkey = aPasskey(await fx.newUserId(), { counter: 7 });
      await store.insert(passkey);
      const use = { previousCounter: 7, counter: 8, usedAt: at(30), backedUp: true };
      expect(await store.recordUse(passkey.id, use)).to.equal(true);
      expect(await store.recordUse(passkey.id, { ...use, counter: 9 })).to.equal(false);
      expect(await store.findById(passkey.id)).to.deep.include({ counter: 8, lastUsedAt: at(30), backedUp: true });
      expect(await store.recordUse('bm8tc3VjaA', use)).to.equal(false);
    });

    it("deletes a passkey for its own user only: true once, then false; another user's stays", async () => {
      const [ada, bob] = [await fx.newUserId(), await fx.newUserId()];
      const passkey = aPasskey(ada);
      await store.insert(passkey);
      expect(await store.delete(passkey.id, bob)).to.equal(false);
      expect(await store.findById(passkey.id)).to.deep.equal(passkey);
      expect(await store.delete(passkey.id, ada)).to.equal(true);
      expect(await store.delete(passkey.id, ada)).to.equal(false);
      expect(await store.findById(passkey.id)).to.equal(null);
    });
  });
}
