import { Migration } from '@mikro-orm/migrations';

export class Migration20261203234647_accounts extends Migration {
  // The generator also wanted to drop the hand-written foreign keys of files and refresh_tokens
  // (the schemas map them as plain columns); those lines were removed. account_tokens gets its own,
  // hand-written: deleting a user deletes their account tokens. Existing users get NULLs, existing
  // sessions 'pwd'.
  override async up(): Promise<void> {
    this.addSql(
      `create table "account_tokens" ("id" uuid not null, "user_id" uuid not null, "purpose" varchar(32) not null, "digest" varchar(128) not null, "email" varchar(254) null, "created_at" timestamptz not null, "expires_at" timestamptz not null, constraint "account_tokens_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "account_tokens_user_id_index" on "account_tokens" ("user_id");`);
    this.addSql(`alter table "account_tokens" add constraint "account_tokens_digest_unique" unique ("digest");`);
    this.addSql(`create index "account_tokens_expires_at_index" on "account_tokens" ("expires_at");`);
    this.addSql(
      `alter table "account_tokens" add constraint "account_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update no action on delete cascade;`,
    );

    this.addSql(`alter table "refresh_tokens" add column "amr" varchar(32) not null default 'pwd';`);

    this.addSql(
      `alter table "users" add column "email_verified_at" timestamptz null, add column "totp_secret" text null, add column "totp_enabled_at" timestamptz null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "account_tokens" cascade;`);

    this.addSql(`alter table "refresh_tokens" drop column "amr";`);

    this.addSql(
      `alter table "users" drop column "email_verified_at", drop column "totp_secret", drop column "totp_enabled_at";`,
    );
  }
}
