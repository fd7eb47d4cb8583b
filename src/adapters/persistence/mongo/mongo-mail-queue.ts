import { QueryOrder, type EntityManager, type FilterQuery, type MikroORM } from '@mikro-orm/core';
import { validate as isUuid } from 'uuid';
import type { ClaimedMail, ClaimRequest, Failure, MailQueue } from '../../../domain/ports/mail-queue.js';
import type { MailMessage } from '../../../domain/ports/mailer.js';
import { duplicateKeyIn, translateMongoError } from './mongo-errors.js';
import { asCount, asDate, asString, asStringOrNull } from './mongo-guards.js';
import { MongoMailClaimSchema, MongoMailSchema, type MailDocument } from './mongo-mail-schema.js';

const ERROR_CHARS = 2_000;

const toClaimed = (d: MailDocument): ClaimedMail => ({
  id: d._id,
  message: { to: d.recipient, subject: d.subject, text: d.text, ...(d.html == null ? {} : { html: d.html }) },
  attempts: d.attempts,
});

/**
 * The same contract as MikroOrmMailQueue. A claim is won by inserting `mail_claims` document
 * `<id>#<claimSeq>`: the unique `_id` lets one claimer win each round, where a conditional update
 * would let several win on FerretDB. The winner then moves the message to the next round under its
 * name; its filter also requires the round and `pending`, so a stale winner claims nothing sent.
 * No transactions (they need a replica set): `enqueue` is a write of its own.
 */
export class MongoMailQueue implements MailQueue {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return this.orm.em.fork();
  }

  enqueue(message: MailMessage, { id, now }: { id: string; now: Date }): Promise<void> {
    return translateMongoError(async () => {
      const at = asDate(now, 'now');
      await this.em().insert<MailDocument>(MongoMailSchema, {
        _id: asString(id, 'id'),
        recipient: asString(message.to, 'to'),
        subject: asString(message.subject, 'subject'),
        text: asString(message.text, 'text'),
        html: asStringOrNull(message.html, 'html'),
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        claimSeq: 0,
        claimOwner: null,
        claimedUntil: null,
        lastError: null,
        createdAt: at,
      });
    });
  }

  claim({ now, limit, claimTtlMs, owner }: ClaimRequest): Promise<ClaimedMail[]> {
    return translateMongoError(async () => {
      const at = asDate(now, 'now');
      const until = new Date(at.getTime() + asCount(claimTtlMs, 'claimTtlMs'));
      const where: FilterQuery<MailDocument> = {
        status: 'pending',
        nextAttemptAt: { $lte: at },
        $or: [{ claimedUntil: null }, { claimedUntil: { $lte: at } }],
      };
      const due = await this.em().find(MongoMailSchema, where, {
        orderBy: { nextAttemptAt: QueryOrder.ASC, _id: QueryOrder.ASC },
        limit: asCount(limit, 'limit'),
        disableIdentityMap: true,
      });
      const won = await Promise.all(due.map((d) => this.win(d, asString(owner, 'owner'), at, until)));
      return due.filter((_, i) => won[i]).map(toClaimed);
    });
  }

  markSent(id: string, owner: string): Promise<boolean> {
    return this.settle(id, owner, () => ({ status: 'sent' }));
  }

  markFailed(id: string, owner: string, failure: Failure): Promise<boolean> {
    return this.settle(id, owner, (held) => ({
      status: failure.permanent ? 'failed' : 'pending',
      attempts: held.attempts + 1,
      nextAttemptAt: asDate(failure.nextAttemptAt, 'nextAttemptAt'),
      lastError: asString(failure.error, 'error').slice(0, ERROR_CHARS),
    }));
  }

  countFailed(): Promise<number> {
    return translateMongoError(() => this.em().count(MongoMailSchema, { status: 'failed' }));
  }

  private async win(d: MailDocument, owner: string, at: Date, until: Date): Promise<boolean> {
    const em = this.em();
    try {
      await em.insert(MongoMailClaimSchema, { _id: `${d._id}#${d.claimSeq}`, mailId: d._id, owner, claimedAt: at });
    } catch (error) {
      if (duplicateKeyIn(error)) return false;
      throw error;
    }
    const where = { _id: d._id, claimSeq: d.claimSeq, status: 'pending' as const };
    const changes = { claimSeq: d.claimSeq + 1, claimOwner: owner, claimedUntil: until };
    return (await em.nativeUpdate(MongoMailSchema, where, changes)) > 0;
  }

  /** Only the owner of the current claim writes here, so a read then a write is not a race. */
  private settle(id: string, owner: string, changes: (held: MailDocument) => Partial<MailDocument>): Promise<boolean> {
    return translateMongoError(async () => {
      if (!isUuid(asString(id, 'id'))) return false;
      const em = this.em();
      const where = { _id: id, claimOwner: asString(owner, 'owner'), status: 'pending' as const };
      const held = await em.findOne(MongoMailSchema, where, { disableIdentityMap: true });
      if (!held) return false;
      const update = { ...changes(held), claimOwner: null, claimedUntil: null };
      const modified = await em.nativeUpdate(MongoMailSchema, where, update);
      if (modified > 0 && update.status !== 'pending') await em.nativeDelete(MongoMailClaimSchema, { mailId: id });
      return modified > 0;
    });
  }
}
