import type { MikroORM } from '@mikro-orm/core';
import { expect } from 'chai';
import { MikroOrmRefreshTokenStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-refresh-token-store.js';
import { MikroOrmUserStore } from '../../../src/adapters/persistence/mikro-orm/mikro-orm-user-store.js';
import { migrate, openOrm } from '../../../src/adapters/persistence/mikro-orm/open-orm.js';
import type { Config } from '../../../src/infrastructure/config.js';
import { aRefreshToken, aUser, aUserIn } from '../../support/builders.js';
import { createTestDatabase, requirePostgres } from '../../support/postgres.js';
import { rejectionOf } from '../../support/rejection.js';
import { createTestSqliteFile } from '../../support/sqlite.js';

const USER_COLUMNS = [
  'created_at',
  'email',
  'email_verified_at',
  'id',
  'name',
  'password_hash',
  'profile',
  'role',
  'totp_enabled_at',
  'totp_secret',
  'updated_at',
  'version',
];
const USER_COLUMNS_BEFORE_VERSIONS = USER_COLUMNS.filter((c) => c !== 'version');
const USER_COLUMNS_BEFORE_ACCOUNTS = USER_COLUMNS_BEFORE_VERSIONS.filter((c) => !/^(email_verified_at|totp_)/.test(c));

const INTROSPECT = {
  sqlite: {
    tables: "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'",
    columns: "select name from pragma_table_info('users')",
  },
  postgres: {
    tables: "select table_name as name from information_schema.tables where table_schema = 'public'",
    columns:
      "select column_name as name from information_schema.columns where table_schema = 'public' and table_name = 'users'",
  },
};

const ACCOUNTS = { sqlite: 'Migration20261203234604_accounts', postgres: 'Migration20261203234647_accounts' };
const VERSIONS = { sqlite: 'Migration20261204002651_versions', postgres: 'Migration20261204002723_versions' };
const IDEMPOTENCY = {
  sqlite: 'Migration20261204010615_idempotency',
  postgres: 'Migration20261204010628_idempotency',
};

async function names(orm: MikroORM, sql: string): Promise<string[]> {
  const rows = (await orm.em.fork().getConnection().execute(sql)) as { name: string }[];
  return rows.map((r) => r.name).sort();
}

async function downToNothing(orm: MikroORM): Promise<string[]> {
  const reverted: string[] = [];
  for (let ran = await migrate(orm, 'down'); ran.length > 0; ran = await migrate(orm, 'down')) reverted.push(...ran);
  return reverted;
}

function migrationSuite(
  dialect: 'sqlite' | 'postgres',
  open: (ctx: Mocha.Context) => Promise<{ db: Config['db']; dispose(): Promise<void> }>,
) {
  describe(`migrations on ${dialect}`, function () {
    let orm: MikroORM | undefined;
    let dispose = async () => {};
    const sql = INTROSPECT[dialect];

    before(async function () {
      const opened = await open(this);
      dispose = opened.dispose;
      orm = await openOrm(opened.db);
    });
    after(async () => {
      await orm?.close(true);
      await dispose();
    });

    it('creates the users table with every column on up', async () => {
      expect(await migrate(orm!, 'up')).to.have.length.of.at.least(1);
      expect(await names(orm!, sql.tables)).to.include.members([
        'users',
        'refresh_tokens',
        'files',
        'mail_outbox',
        'account_tokens',
        'mikro_orm_migrations',
      ]);
      expect(await names(orm!, sql.columns)).to.deep.equal(USER_COLUMNS);
    });

    it('applies nothing on a second up and keeps the data', async () => {
      const user = await aUserIn(new MikroOrmUserStore(orm!));
      expect(await migrate(orm!, 'up')).to.deep.equal([]);
      expect(await new MikroOrmUserStore(orm!).findById(user.id)).to.deep.equal(user);
    });

    it('leaves nothing for the schema generator to change, so schemas and migrations agree', async () => {
      const diff = await orm!.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
      // What the entity schemas cannot express: the hand-written foreign keys to users.
      const handWritten = [
        'refresh_tokens_user_id_foreign',
        'files_owner_id_foreign',
        'account_tokens_user_id_foreign',
      ];
      const drift = diff
        .split(';')
        .map((s) => s.trim())
        .filter((s) => s && !handWritten.some((fk) => s.includes(fk)));
      expect(drift).to.deep.equal([]);
    });

    it('reverts the idempotency migration alone, dropping idempotency_keys, and creates it again on up', async () => {
      const users = new MikroOrmUserStore(orm!);
      const user = await aUserIn(users);
      expect(await names(orm!, sql.tables)).to.include('idempotency_keys');
      expect(await migrate(orm!, 'down')).to.deep.equal([IDEMPOTENCY[dialect]]);
      expect(await names(orm!, sql.tables)).to.not.include('idempotency_keys');
      expect(await migrate(orm!, 'up')).to.deep.equal([IDEMPOTENCY[dialect]]);
      expect(await names(orm!, sql.tables)).to.include('idempotency_keys');
      expect(await users.findById(user.id)).to.deep.equal(user);
    });

    it('reverts the versions migration alone, keeping the users, and starts old rows at version 1 on up', async () => {
      const users = new MikroOrmUserStore(orm!);
      const user = await aUserIn(users);
      user.name = 'Written twice';
      await users.update(user);
      expect(user.version).to.equal(2);
      expect(await migrate(orm!, 'down')).to.deep.equal([IDEMPOTENCY[dialect]]);
      expect(await migrate(orm!, 'down')).to.deep.equal([VERSIONS[dialect]]);
      expect(await names(orm!, sql.columns)).to.deep.equal(USER_COLUMNS_BEFORE_VERSIONS);
      expect(await migrate(orm!, 'up')).to.deep.equal([VERSIONS[dialect], IDEMPOTENCY[dialect]]);
      expect(await users.findById(user.id)).to.deep.equal(Object.assign(user, { version: 1 }));
    });

    it('reverts the accounts migration alone, keeping the users, and gives old rows NULLs and pwd on up', async () => {
      const users = new MikroOrmUserStore(orm!);
      const user = await aUserIn(users);
      expect(await migrate(orm!, 'down')).to.deep.equal([IDEMPOTENCY[dialect]]);
      expect(await migrate(orm!, 'down')).to.deep.equal([VERSIONS[dialect]]);
      expect(await migrate(orm!, 'down')).to.deep.equal([ACCOUNTS[dialect]]);
      expect(await names(orm!, sql.tables)).to.not.include('account_tokens');
      expect(await names(orm!, sql.columns)).to.deep.equal(USER_COLUMNS_BEFORE_ACCOUNTS);
      const session = aRefreshToken(user.id);
      const time = (d: Date) => orm!.em.getPlatform().processDateProperty(d);
      await orm!.em
        .fork()
        .getConnection()
        .execute(
          'insert into "refresh_tokens" ("id", "family_id", "user_id", "token_digest", "created_at", "expires_at") values (?, ?, ?, ?, ?, ?)',
          [
            session.id,
            session.familyId,
            user.id,
            session.tokenDigest,
            time(session.createdAt),
            time(session.expiresAt),
          ],
        );
      expect(await migrate(orm!, 'up')).to.deep.equal([ACCOUNTS[dialect], VERSIONS[dialect], IDEMPOTENCY[dialect]]);
      expect(await users.findById(user.id)).to.deep.equal(user);
      expect((await new MikroOrmRefreshTokenStore(orm!).findByDigest(session.tokenDigest))?.amr).to.deep.equal(['pwd']);
    });

    it('drops the tables when every migration is reverted', async () => {
      expect(await downToNothing(orm!)).to.have.length.of.at.least(1);
      const tables = await names(orm!, sql.tables);
      expect(tables).to.not.include('users');
      expect(tables).to.not.include('refresh_tokens');
      expect(tables).to.not.include('files');
      expect(tables).to.not.include('account_tokens');
      expect(tables).to.not.include('idempotency_keys');
    });

    it('restores the schema, unique email included, on up after down', async () => {
      await migrate(orm!, 'up');
      expect(await names(orm!, sql.columns)).to.deep.equal(USER_COLUMNS);
      const store = new MikroOrmUserStore(orm!);
      const user = await aUserIn(store);
      expect((await rejectionOf(store.create(aUser({ email: user.email })))).code).to.equal('USER.EMAIL_TAKEN');
    });
  });
}

migrationSuite('sqlite', async () => {
  const file = await createTestSqliteFile();
  return { db: file.db, dispose: file.remove };
});

migrationSuite('postgres', async (ctx) => {
  await requirePostgres(ctx);
  const database = await createTestDatabase();
  return { db: database.db, dispose: database.drop };
});
