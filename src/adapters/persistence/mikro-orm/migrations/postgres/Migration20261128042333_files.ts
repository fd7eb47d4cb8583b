import { Migration } from '@mikro-orm/migrations';

export class Migration20261128042333_files extends Migration {
  // The foreign key is hand-written (the schema maps owner_id as a plain column, not a relation).
  // ON DELETE RESTRICT, not CASCADE: a row must outlive its bytes, so a user is deletable only after
  // DeleteUserFiles has removed the bytes and then the rows.
  override async up(): Promise<void> {
    this.addSql(
      `create table "files" ("id" uuid not null, "owner_id" uuid not null, "name" text not null, "content_type" varchar(255) not null, "size" bigint not null, "status" text check ("status" in ('pending', 'ready')) not null, "checksum" varchar(64) null, "version_id" varchar(1024) null, "upload_id" varchar(1024) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "files_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "files_owner_id_index" on "files" ("owner_id");`);
    this.addSql(
      `alter table "files" add constraint "files_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on delete restrict;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "files" cascade;`);
  }
}
