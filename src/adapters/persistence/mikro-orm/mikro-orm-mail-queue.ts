import { TransactionContext, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { validate as isUuid } from 'uuid';
import type { ClaimedMail, ClaimRequest, Failure, MailQueue } from '../../../domain/ports/mail-queue.js';
import type { MailMessage } from '../../../domain/ports/mailer.js';
import { translateDbError } from './db-errors.js';
import { MailOutboxSchema, type MailOutboxRow } from './mail-outbox-schema.js';
import type { SqlDialect } from './orm-options.js';

interface ClaimedRow {
  id: string;
  recipient: string;
  subject: string;
  text: string;
  html: string | null;
  attempts: number;
  /** PostgreSQL: timestamptz text (the ORM's type parsers); SQLite: epoch milliseconds. */
  next_attempt_at: string | number;
}

// UPDATE ... RETURNING gives rows in no particular order: put them back in claim order.
const dueOrder = (a: ClaimedRow, b: ClaimedRow) =>
  new Date(a.next_attempt_at).getTime() - new Date(b.next_attempt_at).getTime() || (a.id < b.id ? -1 : 1);

const claimed = (r: ClaimedRow): ClaimedMail => ({
  id: r.id,
  message: { to: r.recipient, subject: r.subject, text: r.text, ...(r.html === null ? {} : { html: r.html }) },
  attempts: Number(r.attempts),
});

const DUE = `"status" = 'pending' and "next_attempt_at" <= ? and ("claimed_until" is null or "claimed_until" <= ?)`;
const RETURNING = `returning "id", "recipient", "subject", "text", "html", "attempts", "next_attempt_at"`;
// PostgreSQL: rows another claimer has locked are skipped, not waited for. SQLite has one writer,
// so the single statement already runs alone.
const CLAIM = {
  postgres: `update "mail_outbox" set "claim_owner" = ?, "claimed_until" = ? where "id" in (select "id" from "mail_outbox" where ${DUE} order by "next_attempt_at", "id" limit ? for update skip locked) ${RETURNING}`,
  sqlite: `update "mail_outbox" set "claim_owner" = ?, "claimed_until" = ? where "id" in (select "id" from "mail_outbox" where ${DUE} order by "next_attempt_at", "id" limit ?) ${RETURNING}`,
};
const HELD = `where "id" = ? and "claim_owner" = ? and "status" = 'pending' returning "id"`;
const MARK_SENT = `update "mail_outbox" set "status" = 'sent', "claim_owner" = null, "claimed_until" = null ${HELD}`;
const MARK_FAILED = `update "mail_outbox" set "status" = ?, "attempts" = "attempts" + 1, "next_attempt_at" = ?, "last_error" = ?, "claim_owner" = null, "claimed_until" = null ${HELD}`;
const ERROR_CHARS = 2_000;

/**
 * The outbox in `mail_outbox`. `enqueue` writes through the transaction the caller runs in
 * (`em.transactional(...)` puts its EntityManager in the async context), else on a fork of its own;
 * claims and marks are single statements that need no transaction.
 */
export class MikroOrmMailQueue implements MailQueue {
  constructor(
    private readonly orm: MikroORM,
    private readonly dialect: SqlDialect,
  ) {}

  private em(): EntityManager {
    return TransactionContext.getEntityManager(this.orm.em.name) ?? this.orm.em.fork();
  }

  /** SQLite keeps datetimes as epoch milliseconds; raw statements must compare likewise. */
  private time(date: Date): unknown {
    return this.orm.em.getPlatform().processDateProperty(date);
  }

  enqueue(message: MailMessage, { id, now }: { id: string; now: Date }): Promise<void> {
    const row: MailOutboxRow = {
      id,
      recipient: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html ?? null,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      claimOwner: null,
      claimedUntil: null,
      lastError: null,
      createdAt: now,
    };
    return translateDbError(async () => void (await this.em().insert(MailOutboxSchema, row)));
  }

  claim({ now, limit, claimTtlMs, owner }: ClaimRequest): Promise<ClaimedMail[]> {
    const until = new Date(now.getTime() + claimTtlMs);
    const params = [owner, this.time(until), this.time(now), this.time(now), limit];
    return translateDbError(async () => {
      const rows = await this.orm.em.fork().getConnection().execute<ClaimedRow[]>(CLAIM[this.dialect], params, 'all');
      return rows.sort(dueOrder).map(claimed);
    });
  }

  markSent(id: string, owner: string): Promise<boolean> {
    return this.changed(id, MARK_SENT, [id, owner]);
  }

  markFailed(id: string, owner: string, failure: Failure): Promise<boolean> {
    const status = failure.permanent ? 'failed' : 'pending';
    const error = failure.error.slice(0, ERROR_CHARS);
    return this.changed(id, MARK_FAILED, [status, this.time(failure.nextAttemptAt), error, id, owner]);
  }

  countFailed(): Promise<number> {
    return translateDbError(() => this.orm.em.fork().count(MailOutboxSchema, { status: 'failed' }));
  }

  private changed(id: string, sql: string, params: unknown[]): Promise<boolean> {
    if (!isUuid(id)) return Promise.resolve(false);
    return translateDbError(async () => {
      const rows = await this.orm.em.fork().getConnection().execute<unknown[]>(sql, params, 'all');
      return rows.length > 0;
    });
  }
}
