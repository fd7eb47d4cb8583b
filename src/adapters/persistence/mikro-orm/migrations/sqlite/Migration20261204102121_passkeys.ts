import { Migration } from '@mikro-orm/migrations';

export class Migration20261204102121_passkeys extends Migration {
  // Only the passkey tables (the users changes made beside this one are not in it). The foreign keys
  // are hand-written, as for account_tokens: deleting a user deletes their passkeys and their pending
  // challenges. SQLite takes a foreign key only inside CREATE TABLE.
  override async up(): Promise<void> {
    this.addSql(
      `create table \`passkeys\` (\`id\` text not null, \`user_id\` text not null, \`public_key\` blob not null, \`counter\` bigint not null default 0, \`transports\` text not null, \`device_type\` text not null, \`backed_up\` integer not null, \`name\` text not null, \`created_at\` datetime not null, \`last_used_at\` datetime null, primary key (\`id\`), constraint \`passkeys_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(`create index \`passkeys_user_id_index\` on \`passkeys\` (\`user_id\`);`);

    this.addSql(
      `create table \`passkey_challenges\` (\`id\` text not null, \`ceremony\` text not null, \`user_id\` text null, \`created_at\` datetime not null, \`expires_at\` datetime not null, primary key (\`id\`), constraint \`passkey_challenges_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(`create index \`passkey_challenges_expires_at_index\` on \`passkey_challenges\` (\`expires_at\`);`);
  }

  // Written by hand: MikroORM generates no down() for SQLite.
  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`passkey_challenges\`;`);
    this.addSql(`drop table if exists \`passkeys\`;`);
  }
}
