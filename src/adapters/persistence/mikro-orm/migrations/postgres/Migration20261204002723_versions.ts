import { Migration } from '@mikro-orm/migrations';

export class Migration20261204002723_versions extends Migration {
  // The generator also wanted to drop the hand-written foreign keys of account_tokens, files and
  // refresh_tokens (the schemas map them as plain columns); those lines were removed, in down() too.
  // Every existing row starts at version 1, as a new one does.
  override async up(): Promise<void> {
    this.addSql(`alter table "files" add column "version" int not null default 1;`);

    this.addSql(`alter table "users" add column "version" int not null default 1;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "files" drop column "version";`);

    this.addSql(`alter table "users" drop column "version";`);
  }
}
