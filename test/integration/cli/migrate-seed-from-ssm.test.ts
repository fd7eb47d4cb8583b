import { readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { expect } from 'chai';
import pg from 'pg';
import { newPrivateKeyPem } from '../../support/fakes.js';
import { motoEnv, type Moto } from '../../support/moto.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from '../../support/postgres.js';
import { startChild } from '../../support/start-child.js';
import { putTree, useSsmTree } from '../../support/ssm-trees.js';

// `npm run migrate:*` and `npm run seed` as an operator runs them on a stage: the database settings
// live only in the stage's SSM tree (on moto), the environment says where that tree is and nothing more.
describe('npm run migrate and seed with SECRETS_SOURCE=ssm, on moto', function () {
  this.timeout(60_000);
  const tree = useSsmTree();
  let moto: Moto;
  let ssm: SSMClient;
  let prefix: string;
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;

  before(async function () {
    ({ moto, ssm } = tree);
    // Were the tree ignored, the CLIs would fall back to SQLite under DATA_DIR: keep that out of ./data.
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'portico-cli-ssm-'));
    await requirePostgres(this);
    database = await createTestDatabase();
    prefix = `${tree.root}cli-dev/`;
    const { db } = database;
    await putTree(
      ssm,
      prefix,
      { DB_DRIVER: 'postgres', DB_HOST: db.host, DB_PORT: String(db.port), DB_USER: db.user, DB_NAME: database.name },
      'String',
    );
    await putTree(ssm, prefix, {
      DB_PASSWORD: db.password || 'trust-ignores-it',
      JWT_PRIVATE_KEY: newPrivateKeyPem(),
      STRIPE_KEY: 'sk_test_cli_3f1a',
    });
  });
  after(async () => {
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** `npm run <script>` with SSM settings only: no DB_* reaches the child. */
  const npmRun = (script: string, args: string[] = []) =>
    startChild(
      'npm',
      ['run', '--silent', script, '--', ...args],
      { ...motoEnv(moto), SECRETS_SOURCE: 'ssm', SSM_PREFIX: prefix, DATA_DIR: dataDir!, BCRYPT_COST: '4' },
      { limitMs: 45_000 },
    ).finished;

  async function query<T>(sql: string): Promise<T[]> {
    const client = new pg.Client({ ...database!.db, database: database!.name });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const tables = async () =>
    (
      await query<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      )
    ).map((r) => r.table_name);
  /** Every PostgreSQL migration the project ships, oldest first (file names are timestamped). */
  const migrationFiles = () =>
    readdirSync(new URL('../../../src/adapters/persistence/mikro-orm/migrations/postgres/', import.meta.url))
      .filter((name) => /^Migration\d+_\w+\.ts$/.test(name))
      .map((name) => name.replace(/\.ts$/, ''))
      .sort();
  const applied = async () =>
    (await query<{ name: string }>('select name from mikro_orm_migrations order by id')).map((r) => r.name);

  it('migrate:up creates the tables in the database the tree names', async () => {
    const { code, output } = await npmRun('migrate:up');

    expect(code, output).to.equal(0);
    expect(output).to.include(`/${database!.name}: done`);
    expect(await tables()).to.include.members([
      'users',
      'refresh_tokens',
      'files',
      'mail_outbox',
      'account_tokens',
      'mikro_orm_migrations',
    ]);
    expect(await applied()).to.have.length(migrationFiles().length);
  });

  it('migrate:down reverts the latest migration there, and only that one', async () => {
    const before = await applied();

    const { code, output } = await npmRun('migrate:down');

    expect(code, output).to.equal(0);
    expect(await applied()).to.deep.equal(before.slice(0, -1));
    expect(before.at(-1)).to.equal(migrationFiles().at(-1));
    expect(await tables()).to.include.members(['users', 'refresh_tokens', 'files', 'mail_outbox', 'account_tokens']);
  });

  it('seed --users 3 --batch 2 puts 3 users in that database, in batches of 2', async () => {
    await npmRun('migrate:up');

    const { code, output } = await npmRun('seed', ['--users', '3', '--batch', '2']);

    expect(code, output).to.equal(0);
    expect(output).to.match(
      /postgres: created 3 users \(0 skipped, email taken\) in \d+ ms, \d+ users\/s \(batches of 2\)/,
    );
    expect(await query<{ n: number }>('select count(*)::int as n from users')).to.deep.equal([{ n: 3 }]);
  });
});
