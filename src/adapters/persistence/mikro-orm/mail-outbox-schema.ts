import { EntitySchema } from '@mikro-orm/core';

export const MAIL_STATUSES = ['pending', 'sent', 'failed'] as const;

/** One row of `mail_outbox`: a message and where it stands. Claims are `claim_owner` until `claimed_until`. */
export interface MailOutboxRow {
  id: string;
  recipient: string;
  subject: string;
  text: string;
  html: string | null;
  status: (typeof MAIL_STATUSES)[number];
  attempts: number;
  nextAttemptAt: Date;
  claimOwner: string | null;
  claimedUntil: Date | null;
  lastError: string | null;
  createdAt: Date;
}

export const MailOutboxSchema = new EntitySchema<MailOutboxRow>({
  name: 'MailOutboxRow',
  tableName: 'mail_outbox',
  // What a claim scans: pending messages by due time.
  indexes: [{ name: 'mail_outbox_status_next_attempt_at_index', properties: ['status', 'nextAttemptAt'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    recipient: { type: 'text' },
    subject: { type: 'text' },
    text: { type: 'text' },
    html: { type: 'text', nullable: true },
    // Not an enum: MikroORM 6.6's SQLite introspection reads only the first and last of three or more
    // check values, so the schema generator would rebuild the table forever. Only the adapter writes it.
    status: { type: 'string', length: 16 },
    attempts: { type: 'integer' },
    nextAttemptAt: { type: 'datetime', fieldName: 'next_attempt_at' },
    claimOwner: { type: 'string', length: 255, fieldName: 'claim_owner', nullable: true },
    claimedUntil: { type: 'datetime', fieldName: 'claimed_until', nullable: true },
    lastError: { type: 'text', fieldName: 'last_error', nullable: true },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
  },
});
