import { Migration } from '@mikro-orm/migrations';

/** The admin list's keyset indexes (user-schema.ts): each sort alone, and role or list status before each. */
const INDEXES: [string, string][] = [
  ['users_created_at_id_index', '`created_at`, `id`'],
  ['users_name_key_id_index', '`name_key`, `id`'],
  ['users_role_created_at_id_index', '`role`, `created_at`, `id`'],
  ['users_role_email_index', '`role`, `email`'],
  ['users_role_name_key_id_index', '`role`, `name_key`, `id`'],
  ['users_list_status_created_at_id_index', '`list_status`, `created_at`, `id`'],
  ['users_list_status_email_index', '`list_status`, `email`'],
  ['users_list_status_name_key_id_index', '`list_status`, `name_key`, `id`'],
  // The purge's scan for users past the restore window.
  ['users_deleted_at_index', '`deleted_at`'],
];

const COLUMNS: [string, string][] = [
  ['status', "text check (`status` in ('active', 'disabled')) not null default 'active'"],
  ['deleted_at', 'datetime null'],
  ['list_status', "text not null default 'active'"],
  ['name_key', "text not null default ''"],
];

/**
 * User status and soft delete, and the list's columns: `list_status` (status, or `deleted`) and
 * `name_key` (the lower-cased name), which the store keeps in step on every write. Existing rows
 * get a key from SQLite's lower(), which lower-cases ASCII letters only: a name with other capitals
 * gets the application's own key at its next write. Written by hand: the generator also rebuilt
 * `files` without its hand-written foreign key, and writes no down() for SQLite.
 */
export class Migration20261204102301_user_lifecycle extends Migration {
  override async up(): Promise<void> {
    for (const [name, type] of COLUMNS) this.addSql(`alter table \`users\` add column \`${name}\` ${type};`);
    this.addSql('update `users` set `name_key` = lower(`name`);');
    for (const [name, columns] of INDEXES) this.addSql(`create index \`${name}\` on \`users\` (${columns});`);
  }

  override async down(): Promise<void> {
    for (const [name] of INDEXES) this.addSql(`drop index \`${name}\`;`);
    for (const [name] of [...COLUMNS].reverse()) this.addSql(`alter table \`users\` drop column \`${name}\`;`);
  }
}
