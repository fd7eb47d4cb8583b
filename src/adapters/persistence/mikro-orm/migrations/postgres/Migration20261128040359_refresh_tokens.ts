import { Migration } from '@mikro-orm/migrations';

export class Migration20261128040359_refresh_tokens extends Migration {
  // The foreign key is hand-written (the schema maps user_id as a plain column, not a relation):
  // deleting a user deletes their sessions.
  override async up(): Promise<void> {
    this.addSql(
      `create table "refresh_tokens" ("id" uuid not null, "family_id" uuid not null, "user_id" uuid not null, "token_digest" varchar(64) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "spent_at" timestamptz null, "revoked_at" timestamptz null, constraint "refresh_tokens_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "refresh_tokens_family_id_index" on "refresh_tokens" ("family_id");`);
    this.addSql(`create index "refresh_tokens_user_id_index" on "refresh_tokens" ("user_id");`);
    this.addSql(
      `alter table "refresh_tokens" add constraint "refresh_tokens_token_digest_unique" unique ("token_digest");`,
    );
    this.addSql(
      `alter table "refresh_tokens" add constraint "refresh_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "refresh_tokens" cascade;`);
  }
}
