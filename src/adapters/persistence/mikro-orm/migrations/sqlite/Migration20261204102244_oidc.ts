import { Migration } from '@mikro-orm/migrations';

export class Migration20261204102244_oidc extends Migration {
  // Linked OpenID provider accounts. The foreign key is hand-written, as for account_tokens
  // (SQLite takes it only inside CREATE TABLE): deleting a user deletes their identities.
  override async up(): Promise<void> {
    this.addSql(
      `create table \`identities\` (\`id\` text not null, \`user_id\` text not null, \`provider\` text not null, \`subject\` text not null, \`email\` text null, \`created_at\` datetime not null, primary key (\`id\`), constraint \`identities_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(
      `create unique index \`identities_provider_subject_unique\` on \`identities\` (\`provider\`, \`subject\`);`,
    );
    this.addSql(
      `create unique index \`identities_user_id_provider_unique\` on \`identities\` (\`user_id\`, \`provider\`);`,
    );
  }

  // Written by hand: MikroORM generates no down() for SQLite.
  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`identities\`;`);
  }
}
