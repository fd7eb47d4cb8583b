import { Migration } from '@mikro-orm/migrations';

export class Migration20261128042254_files extends Migration {
  // The foreign key is hand-written (the schema maps owner_id as a plain column, not a relation).
  // ON DELETE RESTRICT, not CASCADE: a row must outlive its bytes, so a user is deletable only after
  // DeleteUserFiles has removed the bytes and then the rows. SQLite takes it only inside CREATE TABLE.
  override async up(): Promise<void> {
    this.addSql(
      `create table \`files\` (\`id\` text not null, \`owner_id\` text not null, \`name\` text not null, \`content_type\` text not null, \`size\` bigint not null, \`status\` text check (\`status\` in ('pending', 'ready')) not null, \`checksum\` text null, \`version_id\` text null, \`upload_id\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`), constraint \`files_owner_id_foreign\` foreign key (\`owner_id\`) references \`users\` (\`id\`) on delete restrict);`,
    );
    this.addSql(`create index \`files_owner_id_index\` on \`files\` (\`owner_id\`);`);
  }

  // Written by hand: MikroORM generates no down() for SQLite. Dropping the table drops its index.
  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`files\`;`);
  }
}
