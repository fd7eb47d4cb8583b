import { Migration } from '@mikro-orm/migrations';

export class Migration20261128040357_refresh_tokens extends Migration {
  // The foreign key is hand-written (the schema maps user_id as a plain column, not a relation):
  // deleting a user deletes their sessions. SQLite takes it only inside CREATE TABLE.
  override async up(): Promise<void> {
    this.addSql(
      `create table \`refresh_tokens\` (\`id\` text not null, \`family_id\` text not null, \`user_id\` text not null, \`token_digest\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`spent_at\` datetime null, \`revoked_at\` datetime null, primary key (\`id\`), constraint \`refresh_tokens_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(`create index \`refresh_tokens_family_id_index\` on \`refresh_tokens\` (\`family_id\`);`);
    this.addSql(`create index \`refresh_tokens_user_id_index\` on \`refresh_tokens\` (\`user_id\`);`);
    this.addSql(`create unique index \`refresh_tokens_token_digest_unique\` on \`refresh_tokens\` (\`token_digest\`);`);
  }

  // Written by hand: MikroORM generates no down() for SQLite.
  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`refresh_tokens\`;`);
  }
}
