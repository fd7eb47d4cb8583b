import { expect } from 'chai';
import { v7 } from 'uuid';
import type { ClaimedMail, MailQueue } from '../../../src/domain/ports/mail-queue.js';
import type { MailMessage } from '../../../src/domain/ports/mailer.js';

export interface MailQueueFixture {
  queue: MailQueue;
  cleanup(): Promise<void>;
}

const MINUTE = 60_000;
const NOW = new Date('2026-06-01T12:00:00.000Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);
const aMessage = (overrides: Partial<MailMessage> = {}): MailMessage => ({
  to: `someone-${Math.random().toString(36).slice(2, 8)}@example.com`,
  subject: 'Verify your address',
  text: 'Your code is 123456.',
  ...overrides,
});
const ids = (claimed: ClaimedMail[]) => claimed.map((c) => c.id).sort();

/** The same assertions for every MailQueue adapter: memory, SQLite, PostgreSQL, MongoDB. */
export function mailQueueContract(name: string, make: () => Promise<MailQueueFixture>) {
  describe(`MailQueue contract: ${name}`, () => {
    let fx: MailQueueFixture;
    let queue: MailQueue;
    beforeEach(async () => {
      fx = await make();
      queue = fx.queue;
    });
    afterEach(async () => fx.cleanup());

    async function enqueued(count: number, at = NOW): Promise<string[]> {
      const made: string[] = [];
      for (let i = 0; i < count; i++) {
        const id = v7();
        await queue.enqueue(aMessage(), { id, now: at });
        made.push(id);
      }
      return made.sort();
    }
    const claim = (owner: string, now = NOW, limit = 10, claimTtlMs = 5 * MINUTE) =>
      queue.claim({ now, limit, claimTtlMs, owner });

    it('hands out an enqueued message whole, with and without HTML, on its first attempt', async () => {
      const plain = aMessage({ text: 'Zoë „q“ line\nbreak' });
      const rich = aMessage({ html: '<p>Hi</p>' });
      const [a, b] = [v7(), v7()];
      await queue.enqueue(plain, { id: a, now: NOW });
      await queue.enqueue(rich, { id: b, now: later(1) });
      expect(await claim('p1', later(1))).to.deep.equal([
        { id: a, message: plain, attempts: 0 },
        { id: b, message: rich, attempts: 0 },
      ]);
    });

    it('claims at most `limit`, oldest due first, and nothing not due yet', async () => {
      const early = await enqueued(3);
      await enqueued(2, later(MINUTE));
      const first = await claim('p1', NOW, 2);
      expect(first.map((c) => c.id)).to.deep.equal(early.slice(0, 2));
      expect(ids(await claim('p1', NOW, 10))).to.deep.equal(early.slice(2));
      expect(await claim('p1', NOW, 10)).to.deep.equal([]);
    });

    it('keeps a claimed message from every other owner until its claim expires', async () => {
      const [id] = await enqueued(1);
      expect(ids(await claim('p1'))).to.deep.equal([id]);
      expect(await claim('p2', later(MINUTE))).to.deep.equal([]);
      expect(ids(await claim('p2', later(5 * MINUTE)))).to.deep.equal([id]);
      // The first owner's claim was taken over: it can no longer mark the message.
      expect(await queue.markSent(id!, 'p1')).to.equal(false);
      expect(await queue.markSent(id!, 'p2')).to.equal(true);
    });

    it('never hands out a sent message again', async () => {
      const [id] = await enqueued(1);
      await claim('p1');
      expect(await queue.markSent(id!, 'p1')).to.equal(true);
      expect(await claim('p2', later(60 * MINUTE))).to.deep.equal([]);
      expect(await queue.markSent(id!, 'p1')).to.equal(false);
      expect(await queue.countFailed()).to.equal(0);
    });

    it('backs a transient failure off to its next attempt, one attempt more', async () => {
      const [id] = await enqueued(1);
      await claim('p1');
      const failure = { permanent: false, error: '421 try later', nextAttemptAt: later(2 * MINUTE) };
      expect(await queue.markFailed(id!, 'p1', failure)).to.equal(true);
      expect(await claim('p1', later(MINUTE))).to.deep.equal([]);
      const again = await claim('p2', later(2 * MINUTE));
      expect(again.map((c) => [c.id, c.attempts])).to.deep.equal([[id, 1]]);
      expect(await queue.countFailed()).to.equal(0);
    });

    it('keeps a permanently failed message, counts it and never hands it out again', async () => {
      const [id, other] = await enqueued(2);
      await claim('p1');
      const failure = { permanent: true, error: '550 no such user', nextAttemptAt: NOW };
      expect(await queue.markFailed(id!, 'p2', failure)).to.equal(false);
      expect(await queue.markFailed(id!, 'p1', failure)).to.equal(true);
      expect(await queue.markFailed(other!, 'p1', { ...failure, error: 'x'.repeat(10_000) })).to.equal(true);
      expect(await queue.countFailed()).to.equal(2);
      expect(await claim('p2', later(60 * MINUTE))).to.deep.equal([]);
      expect(await queue.markSent(id!, 'p1')).to.equal(false);
    });

    it('answers false for marks on an unknown message', async () => {
      expect(await queue.markSent(v7(), 'p1')).to.equal(false);
      expect(await queue.markSent('not-a-uuid', 'p1')).to.equal(false);
      expect(await queue.markFailed(v7(), 'p1', { permanent: true, error: 'e', nextAttemptAt: NOW })).to.equal(false);
    });

    it('gives each of 50 messages to exactly one of 4 concurrent claimers', async function () {
      this.timeout(20_000);
      const all = await enqueued(50);
      const claimer = async (owner: string) => {
        const got: string[] = [];
        for (let batch = await claim(owner, NOW, 3); batch.length > 0; batch = await claim(owner, NOW, 3))
          got.push(...batch.map((c) => c.id));
        return got;
      };
      const results = await Promise.all(['a', 'b', 'c', 'd'].map(claimer));
      const every = results.flat();
      expect(every).to.have.length(50);
      expect([...new Set(every)].sort()).to.deep.equal(all);
    });
  });
}
