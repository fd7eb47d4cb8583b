import { Migration } from '@mikro-orm/migrations';

export class Migration20261204102122_passkeys extends Migration {
  // Only the passkey tables: the generator also wanted the users changes made beside this one and to
  // drop the hand-written foreign keys of the other tables; those lines were removed. The foreign keys
  // here are hand-written too: deleting a user deletes their passkeys and their pending challenges.
  override async up(): Promise<void> {
    this.addSql(
      `create table "passkeys" ("id" varchar(1364) not null, "user_id" uuid not null, "public_key" bytea not null, "counter" bigint not null default 0, "transports" varchar(128) not null, "device_type" varchar(16) not null, "backed_up" boolean not null, "name" varchar(100) not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, constraint "passkeys_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "passkeys_user_id_index" on "passkeys" ("user_id");`);
    this.addSql(
      `alter table "passkeys" add constraint "passkeys_user_id_foreign" foreign key ("user_id") references "users" ("id") on update no action on delete cascade;`,
    );

    this.addSql(
      `create table "passkey_challenges" ("id" varchar(64) not null, "ceremony" varchar(16) not null, "user_id" uuid null, "created_at" timestamptz not null, "expires_at" timestamptz not null, constraint "passkey_challenges_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "passkey_challenges_expires_at_index" on "passkey_challenges" ("expires_at");`);
    this.addSql(
      `alter table "passkey_challenges" add constraint "passkey_challenges_user_id_foreign" foreign key ("user_id") references "users" ("id") on update no action on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "passkey_challenges";`);
    this.addSql(`drop table if exists "passkeys";`);
  }
}
