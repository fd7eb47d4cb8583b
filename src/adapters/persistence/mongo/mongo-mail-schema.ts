import { EntitySchema, type OptionalProps } from '@mikro-orm/core';

/**
 * One document of `mail_outbox`; `_id` is the message's UUIDv7. `claimSeq` counts the claims the
 * message has had: the next claimer must win `mail_claims` document `<_id>#<claimSeq>` first.
 */
export interface MailDocument {
  [OptionalProps]?: 'id';
  _id: string;
  id: string;
  recipient: string;
  subject: string;
  text: string;
  html: string | null;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: Date;
  claimSeq: number;
  claimOwner: string | null;
  claimedUntil: Date | null;
  lastError: string | null;
  createdAt: Date;
}

export const MongoMailSchema = new EntitySchema<MailDocument>({
  name: 'MailDocument',
  collection: 'mail_outbox',
  indexes: [{ name: 'mail_outbox_status_next_attempt_at_index', properties: ['status', 'nextAttemptAt'] }],
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', serializedPrimaryKey: true },
    recipient: { type: 'string' },
    subject: { type: 'string' },
    text: { type: 'string' },
    html: { type: 'string', nullable: true },
    status: { type: 'string' },
    attempts: { type: 'number' },
    nextAttemptAt: { type: 'datetime' },
    claimSeq: { type: 'number' },
    claimOwner: { type: 'string', nullable: true },
    claimedUntil: { type: 'datetime', nullable: true },
    lastError: { type: 'string', nullable: true },
    createdAt: { type: 'datetime' },
  },
});

/**
 * One document of `mail_claims`: that `owner` won claim number `seq` of a message. Its `_id` is
 * `<mailId>#<seq>`, so exactly one concurrent insert wins each claim, on MongoDB and FerretDB alike
 * (FerretDB v1 does not apply a conditional update atomically; see mongo-refresh-token-spend-schema.ts).
 */
export interface MailClaimDocument {
  [OptionalProps]?: 'id';
  _id: string;
  id: string;
  mailId: string;
  owner: string;
  claimedAt: Date;
}

export const MongoMailClaimSchema = new EntitySchema<MailClaimDocument>({
  name: 'MailClaimDocument',
  collection: 'mail_claims',
  properties: {
    _id: { type: 'string', primary: true },
    id: { type: 'string', serializedPrimaryKey: true },
    mailId: { type: 'string', index: 'mail_claims_mail_id_index' },
    owner: { type: 'string' },
    claimedAt: { type: 'datetime' },
  },
});
