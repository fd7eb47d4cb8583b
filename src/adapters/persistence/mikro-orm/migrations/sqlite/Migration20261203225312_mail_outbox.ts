import { Migration } from '@mikro-orm/migrations';

export class Migration20261203225312_mail_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`mail_outbox\` (\`id\` text not null, \`recipient\` text not null, \`subject\` text not null, \`text\` text not null, \`html\` text null, \`status\` text not null, \`attempts\` integer not null, \`next_attempt_at\` datetime not null, \`claim_owner\` text null, \`claimed_until\` datetime null, \`last_error\` text null, \`created_at\` datetime not null, primary key (\`id\`));`,
    );
    this.addSql(
      `create index \`mail_outbox_status_next_attempt_at_index\` on \`mail_outbox\` (\`status\`, \`next_attempt_at\`);`,
    );
  }

  // Written by hand: MikroORM generates no down() for SQLite. Dropping the table drops its index.
  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`mail_outbox\`;`);
  }
}
