import type { MailMessage } from './mailer.js';

/** A message taken from the queue by one owner, to send and then report on. */
export interface ClaimedMail {
  id: string;
  message: MailMessage;
  /** Failed attempts so far (0 on the first try). */
  attempts: number;
}

export interface ClaimRequest {
  now: Date;
  limit: number;
  /** The claim lapses this long after `now`: a process that died holding it lets it go then. */
  claimTtlMs: number;
  /** Who claims; only this owner may then mark the message. Unique per process. */
  owner: string;
}

export interface Failure {
  /** Sending again cannot help (or the attempts are used up): the message is kept as `failed`. */
  permanent: boolean;
  error: string;
  /** When a transient failure may be tried again. */
  nextAttemptAt: Date;
}

/**
 * The outbox: mail is recorded with the state that needs it and delivered later by a sender loop.
 * Messages are pending, then sent or failed; a failed one is kept. A claim is exclusive until the
 * message is marked or the claim expires, across processes sharing the store.
 *
 * `enqueue` takes part in the caller's unit of work where the store has one: the SQL adapter writes
 * through the MikroORM transaction running in the caller's async context (`em.transactional`), so the
 * message commits or rolls back with the token it is about.
 */
export interface MailQueue {
  enqueue(message: MailMessage, at: { id: string; now: Date }): Promise<void>;
  /** Pending messages due at `now` and not claimed by anyone (or whose claim expired), oldest due first. */
  claim(request: ClaimRequest): Promise<ClaimedMail[]>;
  /** False when `owner` no longer holds the claim (it expired and another took it). */
  markSent(id: string, owner: string): Promise<boolean>;
  /** Transient: pending again at `nextAttemptAt` with one attempt more; permanent: `failed`, kept. */
  markFailed(id: string, owner: string, failure: Failure): Promise<boolean>;
  countFailed(): Promise<number>;
}
