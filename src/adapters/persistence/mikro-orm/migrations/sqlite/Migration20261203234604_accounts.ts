import { Migration } from '@mikro-orm/migrations';

export class Migration20261203234604_accounts extends Migration {
  // The foreign key is hand-written, as for refresh_tokens: deleting a user deletes their account
  // tokens. SQLite takes it only inside CREATE TABLE. Existing users get NULLs, existing sessions 'pwd'.
  override async up(): Promise<void> {
    this.addSql(
      `create table \`account_tokens\` (\`id\` text not null, \`user_id\` text not null, \`purpose\` text not null, \`digest\` text not null, \`email\` text null, \`created_at\` datetime not null, \`expires_at\` datetime not null, primary key (\`id\`), constraint \`account_tokens_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(`create index \`account_tokens_user_id_index\` on \`account_tokens\` (\`user_id\`);`);
    this.addSql(`create unique index \`account_tokens_digest_unique\` on \`account_tokens\` (\`digest\`);`);
    this.addSql(`create index \`account_tokens_expires_at_index\` on \`account_tokens\` (\`expires_at\`);`);

    this.addSql(`alter table \`refresh_tokens\` add column \`amr\` text not null default 'pwd';`);

    this.addSql(`alter table \`users\` add column \`email_verified_at\` datetime null;`);
    this.addSql(`alter table \`users\` add column \`totp_secret\` text null;`);
    this.addSql(`alter table \`users\` add column \`totp_enabled_at\` datetime null;`);
  }

  // Written by hand: MikroORM generates no down() for SQLite. DROP COLUMN needs SQLite 3.35 (better-sqlite3 bundles a newer one).
  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`account_tokens\`;`);
    this.addSql(`alter table \`refresh_tokens\` drop column \`amr\`;`);
    this.addSql(`alter table \`users\` drop column \`email_verified_at\`;`);
    this.addSql(`alter table \`users\` drop column \`totp_secret\`;`);
    this.addSql(`alter table \`users\` drop column \`totp_enabled_at\`;`);
  }
}
