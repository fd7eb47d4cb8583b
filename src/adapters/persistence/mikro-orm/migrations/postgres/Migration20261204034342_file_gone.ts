import { Migration } from '@mikro-orm/migrations';

export class Migration20261204034342_file_gone extends Migration {
  // The generator also wanted to drop the hand-written foreign keys of account_tokens, files and
  // refresh_tokens (the schemas map them as plain columns); those lines were removed, in down() too.
  override async up(): Promise<void> {
    this.addSql(`alter table "files" drop constraint if exists "files_status_check";`);
    this.addSql(
      `alter table "files" add constraint "files_status_check" check("status" in ('pending', 'ready', 'gone'));`,
    );
  }

  // Before `gone`, the worker deleted the row of a file whose object was removed outside the API:
  // gone rows are deleted as it would have, since the old constraint cannot hold them.
  override async down(): Promise<void> {
    this.addSql(`delete from "files" where "status" = 'gone';`);
    this.addSql(`alter table "files" drop constraint if exists "files_status_check";`);
    this.addSql(`alter table "files" add constraint "files_status_check" check("status" in ('pending', 'ready'));`);
  }
}
