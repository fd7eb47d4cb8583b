import { Migration } from '@mikro-orm/migrations';

export class Migration20261204102244_oidc extends Migration {
  // Linked OpenID provider accounts. The foreign key is hand-written, as for account_tokens:
  // deleting a user deletes their identities.
  override async up(): Promise<void> {
    this.addSql(
      `create table "identities" ("id" uuid not null, "user_id" uuid not null, "provider" varchar(32) not null, "subject" varchar(255) not null, "email" varchar(254) null, "created_at" timestamptz not null, constraint "identities_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "identities" add constraint "identities_provider_subject_unique" unique ("provider", "subject");`,
    );
    this.addSql(
      `alter table "identities" add constraint "identities_user_id_provider_unique" unique ("user_id", "provider");`,
    );
    this.addSql(
      `alter table "identities" add constraint "identities_user_id_foreign" foreign key ("user_id") references "users" ("id") on update no action on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "identities" cascade;`);
  }
}
