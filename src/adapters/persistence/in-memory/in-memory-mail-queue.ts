import type { MailMessage } from '../../../domain/ports/mailer.js';
import type { ClaimedMail, ClaimRequest, Failure, MailQueue } from '../../../domain/ports/mail-queue.js';

interface Entry {
  id: string;
  message: MailMessage;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  owner: string | null;
  claimedUntil: number;
  lastError: string | null;
}

const UNCLAIMED = { owner: null, claimedUntil: 0, lastError: null };

/** For unit tests and `DB_DRIVER=memory`. Every method changes the map within one tick, so claims are exclusive. */
export class InMemoryMailQueue implements MailQueue {
  private readonly entries = new Map<string, Entry>();

  async enqueue(message: MailMessage, { id, now }: { id: string; now: Date }): Promise<void> {
    if (this.entries.has(id)) throw new Error(`duplicate mail id ${id}`);
    const copy = { ...message };
    this.entries.set(id, { id, message: copy, status: 'pending', attempts: 0, nextAttemptAt: +now, ...UNCLAIMED });
  }

  async claim({ now, limit, claimTtlMs, owner }: ClaimRequest): Promise<ClaimedMail[]> {
    const due = [...this.entries.values()]
      .filter((e) => e.status === 'pending' && e.nextAttemptAt <= +now && e.claimedUntil <= +now)
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
    for (const entry of due) Object.assign(entry, { owner, claimedUntil: +now + claimTtlMs });
    return due.map((e) => ({ id: e.id, message: { ...e.message }, attempts: e.attempts }));
  }

  async markSent(id: string, owner: string): Promise<boolean> {
    const entry = this.held(id, owner);
    if (entry) Object.assign(entry, { status: 'sent', owner: null, claimedUntil: 0 });
    return entry !== undefined;
  }

  async markFailed(id: string, owner: string, failure: Failure): Promise<boolean> {
    const entry = this.held(id, owner);
    if (!entry) return false;
    Object.assign(entry, {
      status: failure.permanent ? 'failed' : 'pending',
      attempts: entry.attempts + 1,
      nextAttemptAt: +failure.nextAttemptAt,
      owner: null,
      claimedUntil: 0,
      lastError: failure.error,
    });
    return true;
  }

  async countFailed(): Promise<number> {
    return [...this.entries.values()].filter((e) => e.status === 'failed').length;
  }

  private held(id: string, owner: string): Entry | undefined {
    const entry = this.entries.get(id);
    return entry?.status === 'pending' && entry.owner === owner ? entry : undefined;
  }
}
