import { Migration } from '@mikro-orm/migrations';

export class Migration20261203225313_mail_outbox extends Migration {
  // The generator also wanted to drop the hand-written foreign keys of files and refresh_tokens
  // (the schemas map them as plain columns); those lines were removed, and the snapshot keeps them.
  override async up(): Promise<void> {
    this.addSql(
      `create table "mail_outbox" ("id" uuid not null, "recipient" text not null, "subject" text not null, "text" text not null, "html" text null, "status" varchar(16) not null, "attempts" int not null, "next_attempt_at" timestamptz not null, "claim_owner" varchar(255) null, "claimed_until" timestamptz null, "last_error" text null, "created_at" timestamptz not null, constraint "mail_outbox_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "mail_outbox_status_next_attempt_at_index" on "mail_outbox" ("status", "next_attempt_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "mail_outbox" cascade;`);
  }
}
