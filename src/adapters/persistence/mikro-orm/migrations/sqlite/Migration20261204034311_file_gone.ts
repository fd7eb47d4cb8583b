import { Migration } from '@mikro-orm/migrations';

const COLUMNS =
  '`id`, `owner_id`, `name`, `content_type`, `size`, `status`, `checksum`, `version_id`, `upload_id`, `created_at`, `updated_at`, `version`';

/** `files` as the files and versions migrations left it, with the status check given. */
const createFiles = (table: string, statuses: string) =>
  `create table \`${table}\` (\`id\` text not null, \`owner_id\` text not null, \`name\` text not null, \`content_type\` text not null, \`size\` bigint not null, \`status\` text check (\`status\` in (${statuses})) not null, \`checksum\` text null, \`version_id\` text null, \`upload_id\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, primary key (\`id\`), constraint \`files_owner_id_foreign\` foreign key (\`owner_id\`) references \`users\` (\`id\`) on delete restrict);`;

/**
 * SQLite cannot alter a check constraint, so the table is rebuilt (SQLite's own recipe: new table,
 * copy, drop, rename). Written by hand: the generator's rebuild left out the hand-written foreign
 * key to users and relied on `pragma foreign_keys = off`, which SQLite ignores inside the
 * migration's transaction. Nothing references `files`, so dropping it cascades nowhere.
 */
export class Migration20261204034311_file_gone extends Migration {
  override async up(): Promise<void> {
    this.rebuild(`'pending', 'ready', 'gone'`);
  }

  // Before `gone`, the worker deleted the row of a file whose object was removed outside the API:
  // gone rows are deleted as it would have, since the old check cannot hold them.
  override async down(): Promise<void> {
    this.addSql(`delete from \`files\` where \`status\` = 'gone';`);
    this.rebuild(`'pending', 'ready'`);
  }

  private rebuild(statuses: string): void {
    this.addSql(createFiles('files__rebuilt', statuses));
    this.addSql(`insert into \`files__rebuilt\` (${COLUMNS}) select ${COLUMNS} from \`files\`;`);
    this.addSql(`drop table \`files\`;`);
    this.addSql(`alter table \`files__rebuilt\` rename to \`files\`;`);
    this.addSql(`create index \`files_owner_id_index\` on \`files\` (\`owner_id\`);`);
  }
}
