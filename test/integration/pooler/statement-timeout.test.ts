import { expect } from 'chai';
import type { MikroORM } from '@mikro-orm/core';
import pg from 'pg';
import { openOrm } from '../../../src/adapters/persistence/mikro-orm/open-orm.js';
import type { Config } from '../../../src/infrastructure/config.js';
import {
  createTestDatabase,
  requirePgBouncer,
  requirePostgres,
  viaPgBouncer,
  type TestDatabase,
} from '../../support/postgres.js';
import { directClient } from '../../support/postgres-sessions.js';
import { postgresEnv } from '../../support/postgres.js';
import { startPortico } from '../../support/portico.js';
import { rejectionOf } from '../../support/rejection.js';

const TIMEOUT_MS = 300;
const slow = 'select pg_sleep(5)';

const single = (orm: MikroORM, sql: string) => orm.em.fork().getConnection().execute(sql);
const inTransaction = (orm: MikroORM, sql: string) =>
  orm.em.fork().transactional((em) => em.getConnection().execute(sql, [], 'all', em.getTransactionContext()));
const codeOf = (error: unknown) => (error as { code?: string }).code;

/** DB_QUERY_TIMEOUT_MS, through the ORM as the app opens it, straight to PostgreSQL and through PgBouncer. */
describe('DB_QUERY_TIMEOUT_MS on PostgreSQL, directly and through PgBouncer (transaction pooling)', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let bouncer: { host: string; port: number };
  const opened: MikroORM[] = [];
  const open = async (db: Config['db']) => {
    const orm = await openOrm({ ...db, queryTimeoutMs: TIMEOUT_MS });
    opened.push(orm);
    return orm;
  };

  before(async function () {
    await requirePostgres(this);
    bouncer = await requirePgBouncer(this);
    database = await createTestDatabase();
  });
  after(async () => {
    for (const orm of opened) await orm.close(true);
    await database?.drop();
  });

  describe('directly (DB_POOLER=none): a startup parameter of the app-owned session', () => {
    it('cancels a slow single statement on the server (57014) after the timeout', async () => {
      const orm = await open(database.db);
      const started = Date.now();
      expect(codeOf(await rejectionOf(single(orm, slow)))).to.equal('57014');
      expect(Date.now() - started).to.be.below(2_000);
    });

    it('cancels a slow statement inside a transaction (57014)', async () => {
      const orm = await open(database.db);
      expect(codeOf(await rejectionOf(inTransaction(orm, slow)))).to.equal('57014');
    });
  });

  describe('through PgBouncer 1.18', () => {
    it('with DB_POOLER=none, cannot connect at all: PgBouncer refuses statement_timeout as a startup parameter', async () => {
      const orm = await open({ ...database.db, ...bouncer, pooler: 'none' });
      const error = await rejectionOf(single(orm, 'select 1'));
      expect(String(error)).to.match(/unsupported startup parameter: statement_timeout/);
    });

    it('with DB_POOLER=none, the whole app stops at boot with DB.UNAVAILABLE and a cause naming DB_POOLER', async () => {
      const error = await rejectionOf(
        startPortico({ ...postgresEnv(database, bouncer), DB_MIGRATE_ON_START: 'false' }),
      );
      expect(error.code).to.equal('DB.UNAVAILABLE');
      expect(String(error.cause)).to.match(
        /refused the connection: unsupported startup parameter.*DB_POOLER=transaction/,
      );
    });

    it('with DB_POOLER=transaction, cancels a slow statement inside a transaction (SET LOCAL, 57014)', async () => {
      const orm = await open(viaPgBouncer(database, bouncer).db);
      expect(codeOf(await rejectionOf(inTransaction(orm, slow)))).to.equal('57014');
    });

    it('leaves no statement_timeout behind on the server sessions PgBouncer lends to other clients', async () => {
      const orm = await open({ ...viaPgBouncer(database, bouncer).db, pool: { ...database.db.pool, max: 1 } });
      await inTransaction(orm, 'select 1');
      // Another client of the same pool, outside any transaction: the server default, not the app's.
      const other = new pg.Client({ ...bouncer, user: database.db.user, database: database.name });
      await other.connect();
      try {
        const shown: string[] = [];
        for (let i = 0; i < 4; i++) shown.push((await other.query('show statement_timeout')).rows[0].statement_timeout);
        expect(shown).to.deep.equal(['0', '0', '0', '0']);
      } finally {
        await other.end();
      }
    });

    it('gives up on a slow single statement client-side one second after the timeout when the server has no default', async () => {
      const orm = await open(viaPgBouncer(database, bouncer).db);
      const started = Date.now();
      expect(String(await rejectionOf(single(orm, slow)))).to.match(/Query read timeout/);
      expect(Date.now() - started).to.be.within(TIMEOUT_MS + 900, TIMEOUT_MS + 2_900);
    });

    it('cancels a slow single statement on the server once the database (or role) carries the timeout', async () => {
      const admin = await directClient(database, 'test');
      try {
        await admin.query(`alter database "${database.name}" set statement_timeout = ${TIMEOUT_MS}`);
        // PgBouncer's server sessions opened before the ALTER keep the old default: a pool of its own.
        await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1`, [database.name]);
      } finally {
        await admin.end();
      }
      const orm = await open(viaPgBouncer(database, bouncer).db);
      expect(codeOf(await rejectionOf(single(orm, slow)))).to.equal('57014');
    });
  });
});
