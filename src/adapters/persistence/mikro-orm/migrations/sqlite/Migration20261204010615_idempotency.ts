import { Migration } from '@mikro-orm/migrations';

export class Migration20261204010615_idempotency extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`idempotency_keys\` (\`key\` text not null, \`fingerprint\` text not null, \`owner\` text not null, \`answer\` text null, \`lease_until\` datetime not null, \`expires_at\` datetime not null, primary key (\`key\`));`,
    );
    this.addSql(`create index \`idempotency_keys_expires_at_index\` on \`idempotency_keys\` (\`expires_at\`);`);
  }

  // Written by hand: MikroORM generates no down() for SQLite.
  override async down(): Promise<void> {
    this.addSql(`drop index if exists \`idempotency_keys_expires_at_index\`;`);
    this.addSql(`drop table if exists \`idempotency_keys\`;`);
  }
}
