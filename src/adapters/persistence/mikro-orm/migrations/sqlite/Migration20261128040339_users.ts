import { Migration } from '@mikro-orm/migrations';

export class Migration20261128040339_users extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`users\` (\`id\` text not null, \`email\` text not null, \`name\` text not null, \`role\` text check (\`role\` in ('user', 'admin')) not null, \`profile\` json not null, \`password_hash\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`,
    );
    this.addSql(`create unique index \`users_email_unique\` on \`users\` (\`email\`);`);
  }

  // Written by hand: MikroORM generates no down() for SQLite. Dropping the table drops its index.
  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`users\`;`);
  }
}
