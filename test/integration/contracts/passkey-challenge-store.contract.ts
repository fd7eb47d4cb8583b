import { expect } from 'chai';
import type { PasskeyChallengeStore } from '../../../src/domain/ports/passkey-challenge-store.js';
import { at } from '../../support/builders.js';
import { aPasskeyChallenge } from '../../support/passkey-builders.js';

export interface PasskeyChallengeStoreFixture {
  store: PasskeyChallengeStore;
  newUserId(): Promise<string>;
  cleanup(): Promise<void>;
}

/** The same assertions for every PasskeyChallengeStore adapter: memory, SQLite, PostgreSQL, MongoDB. */
export function passkeyChallengeStoreContract(name: string, make: () => Promise<PasskeyChallengeStoreFixture>) {
  describe(`PasskeyChallengeStore contract: ${name}`, () => {
    let fx: PasskeyChallengeStoreFixture;
    let store: PasskeyChallengeStore;
    beforeEach(async () => {
      fx = await make();
      store = fx.store;
    });
    afterEach(async () => fx.cleanup());

    it('answers a challenge once, with every field intact, then never again', async () => {
      const registration = aPasskeyChallenge(await fx.newUserId(), { createdAt: new Date('2026-01-01T00:00:01.234Z') });
      const signIn = aPasskeyChallenge();
      await store.insert(registration);
      await store.insert(signIn);
      expect(await store.consume(registration.id)).to.deep.equal(registration);
      expect(await store.consume(registration.id)).to.equal(null);
      expect(await store.consume(signIn.id)).to.deep.equal(signIn);
      expect(await store.consume('bm8tc3VjaA')).to.equal(null);
    });

    it('answers an expired challenge too (the caller checks), and has one winner among concurrent consumers', async () => {
      const expired = aPasskeyChallenge(null, { expiresAt: at(1) });
      await store.insert(expired);
      const outcomes = await Promise.all(Array.from({ length: 5 }, () => store.consume(expired.id)));
      expect(outcomes.filter((c) => c !== null)).to.deep.equal([expired]);
    });

    it('removes the challenges that expired before a moment, and only those', async () => {
      const [gone, kept] = [
        aPasskeyChallenge(null, { expiresAt: at(10) }),
        aPasskeyChallenge(null, { expiresAt: at(30) }),
      ];
      await store.insert(gone);
      await store.insert(kept);
      expect(await store.deleteExpired(at(20))).to.equal(1);
      expect(await store.consume(gone.id)).to.equal(null);
      expect(await store.consume(kept.id)).to.deep.equal(kept);
    });
  });
}
