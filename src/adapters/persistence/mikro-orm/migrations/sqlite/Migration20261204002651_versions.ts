import { Migration } from '@mikro-orm/migrations';

export class Migration20261204002651_versions extends Migration {
  // Every existing row starts at version 1, as a new one does. The foreign keys are untouched.
  override async up(): Promise<void> {
    this.addSql(`alter table \`files\` add column \`version\` integer not null default 1;`);

    this.addSql(`alter table \`users\` add column \`version\` integer not null default 1;`);
  }

  // Written by hand: MikroORM generates no down() for SQLite. DROP COLUMN needs SQLite 3.35 (better-sqlite3 bundles a newer one).
  override async down(): Promise<void> {
    this.addSql(`alter table \`files\` drop column \`version\`;`);
    this.addSql(`alter table \`users\` drop column \`version\`;`);
  }
}
