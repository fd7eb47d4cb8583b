import { Migration } from '@mikro-orm/migrations';

export class Migration20261204010628_idempotency extends Migration {
  // The generator also wanted to drop the hand-written foreign keys of account_tokens, files and
  // refresh_tokens (the schemas map them as plain columns); those lines were removed, in down() too.
  override async up(): Promise<void> {
    this.addSql(
      `create table "idempotency_keys" ("key" varchar(64) not null, "fingerprint" varchar(64) not null, "owner" varchar(36) not null, "answer" text null, "lease_until" timestamptz not null, "expires_at" timestamptz not null, constraint "idempotency_keys_pkey" primary key ("key"));`,
    );
    this.addSql(`create index "idempotency_keys_expires_at_index" on "idempotency_keys" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "idempotency_keys" cascade;`);
  }
}
