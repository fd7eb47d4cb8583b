import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type {
  IdempotencyClaim,
  IdempotencyStore,
  IdempotentAnswer,
} from '../../../src/domain/ports/idempotency-store.js';

export interface IdempotencyStoreFixture {
  store: IdempotencyStore;
  cleanup(): Promise<void>;
}

const NOW = new Date('2026-06-01T12:00:00.000Z');
const later = (seconds: number, from = NOW) => new Date(from.getTime() + seconds * 1000);

/** A claim on a fresh key at NOW, leased for 5 minutes and kept for a day. */
const aClaim = (over: Partial<IdempotencyClaim> = {}): IdempotencyClaim => ({
  key: randomBytes(32).toString('hex'),
  fingerprint: randomBytes(32).toString('hex'),
  owner: randomUUID(),
  now: NOW,
  leaseUntil: later(300),
  expiresAt: later(86_400),
  ...over,
});

const CREATED: IdempotentAnswer = {
  status: 201,
  body: { user: { id: '0190', name: 'Ada Lovelace', profile: { tags: ['a', 'ü'] } } },
  contentType: 'application/json',
  location: '/v1/users/0190',
};

/** The same assertions for every IdempotencyStore adapter: memory, SQLite, PostgreSQL, MongoDB. */
export function idempotencyStoreContract(name: string, make: () => Promise<IdempotencyStoreFixture>) {
  describe(`IdempotencyStore contract: ${name}`, () => {
    let fx: IdempotencyStoreFixture;
    let store: IdempotencyStore;
    beforeEach(async () => {
      fx = await make();
      store = fx.store;
    });
    afterEach(async () => fx.cleanup());

    it('starts a new key, answers running until it completes, then the stored answer to anyone', async () => {
      const claim = aClaim();
      expect(await store.begin(claim)).to.deep.equal({ outcome: 'started' });
      const retry = { ...claim, owner: randomUUID(), now: later(1) };
      expect(await store.begin(retry)).to.deep.equal({ outcome: 'running', fingerprint: claim.fingerprint });
      await store.complete(claim.key, claim.owner, CREATED);
      expect(await store.begin(retry)).to.deep.equal({
        outcome: 'done',
        fingerprint: claim.fingerprint,
        answer: CREATED,
      });
    });

    it('answers the first fingerprint to a claim with another one, and changes nothing', async () => {
      const claim = aClaim();
      await store.begin(claim);
      await store.complete(claim.key, claim.owner, CREATED);
      const other = aClaim({ key: claim.key });
      expect(await store.begin(other)).to.deep.equal({
        outcome: 'done',
        fingerprint: claim.fingerprint,
        answer: CREATED,
      });
    });

    it('keeps a problem answer without a Location', async () => {
      const claim = aClaim();
      const problem = { status: 409, body: { code: 'USER.EMAIL_TAKEN' }, contentType: 'application/problem+json' };
      await store.begin(claim);
      await store.complete(claim.key, claim.owner, problem);
      expect(await store.begin({ ...claim, owner: randomUUID() })).to.deep.equal({
        outcome: 'done',
        fingerprint: claim.fingerprint,
        answer: problem,
      });
    });

    it('frees a released key for the next claim, and ignores a release or completion by another owner', async () => {
      const claim = aClaim();
      await store.begin(claim);
      await store.release(claim.key, randomUUID());
      await store.complete(claim.key, randomUUID(), CREATED);
      const retry = { ...claim, owner: randomUUID() };
      expect(await store.begin(retry)).to.deep.equal({ outcome: 'running', fingerprint: claim.fingerprint });
      await store.release(claim.key, claim.owner);
      expect(await store.begin(retry)).to.deep.equal({ outcome: 'started' });
    });

    it('lets a claim take over a record still running past its lease; the old owner can no longer complete it', async () => {
      const dead = aClaim({ leaseUntil: later(10) });
      await store.begin(dead);
      const early = aClaim({ key: dead.key, fingerprint: dead.fingerprint, now: later(9) });
      expect(await store.begin(early)).to.deep.equal({ outcome: 'running', fingerprint: dead.fingerprint });
      const retry = aClaim({ key: dead.key, fingerprint: dead.fingerprint, now: later(11), leaseUntil: later(311) });
      expect(await store.begin(retry)).to.deep.equal({ outcome: 'started' });
      await store.complete(dead.key, dead.owner, { ...CREATED, status: 200 });
      await store.complete(retry.key, retry.owner, CREATED);
      const next = aClaim({ key: dead.key, now: later(12) });
      expect(await store.begin(next)).to.deep.equal({
        outcome: 'done',
        fingerprint: dead.fingerprint,
        answer: CREATED,
      });
    });

    it('never takes over a completed record, however old its lease, until it expires', async () => {
      const claim = aClaim({ leaseUntil: later(10), expiresAt: later(100) });
      await store.begin(claim);
      await store.complete(claim.key, claim.owner, CREATED);
      const retry = aClaim({ key: claim.key, fingerprint: claim.fingerprint, now: later(50) });
      expect((await store.begin(retry)).outcome).to.equal('done');
      const afterExpiry = aClaim({ key: claim.key, now: later(100), leaseUntil: later(400), expiresAt: later(86_500) });
      expect(await store.begin(afterExpiry)).to.deep.equal({ outcome: 'started' });
    });

    it('lets exactly one of 8 concurrent claims of one key start', async () => {
      const key = randomBytes(32).toString('hex');
      const claims = Array.from({ length: 8 }, () => aClaim({ key }));
      const results = await Promise.all(claims.map((c) => store.begin(c)));
      expect(results.filter((r) => r.outcome === 'started')).to.have.length(1);
      expect(results.filter((r) => r.outcome === 'running')).to.have.length(7);
    });

    it('lets exactly one of 8 concurrent takeovers of a dead record start', async () => {
      const dead = aClaim({ leaseUntil: later(10) });
      await store.begin(dead);
      const claims = Array.from({ length: 8 }, () => aClaim({ key: dead.key, now: later(60), leaseUntil: later(360) }));
      const results = await Promise.all(claims.map((c) => store.begin(c)));
      expect(results.filter((r) => r.outcome === 'started')).to.have.length(1);
    });

    it('deletes only the records that expired before now, and counts them', async () => {
      const old = [aClaim({ expiresAt: later(10) }), aClaim({ expiresAt: later(20) })];
      const live = aClaim({ expiresAt: later(1000) });
      for (const c of [...old, live]) await store.begin(c);
      await store.complete(old[0]!.key, old[0]!.owner, CREATED);
      expect(await store.deleteExpired(later(30))).to.equal(2);
      expect(await store.deleteExpired(later(30))).to.equal(0);
      const retry = { ...live, owner: randomUUID(), now: later(30) };
      expect(await store.begin(retry)).to.deep.equal({ outcome: 'running', fingerprint: live.fingerprint });
    });
  });
}
