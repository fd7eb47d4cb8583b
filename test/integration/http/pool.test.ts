import { expect } from 'chai';
import pg from 'pg';
import { createTestDatabase, requirePostgres, type TestDatabase } from '../../support/postgres.js';
import { expectProblem, newAccount, send } from '../../support/http-client.js';
import { startPortico, type Portico } from '../../support/portico.js';

const adminClient = (database: TestDatabase) =>
  new pg.Client({ host: database.db.host, port: database.db.port, user: database.db.user, database: database.db.name });

async function appOn(database: TestDatabase, env: Record<string, string>) {
  const { db } = database;
  return startPortico({
    DB_DRIVER: 'postgres', DB_HOST: db.host, DB_PORT: String(db.port), DB_USER: db.user, DB_NAME: db.name, DB_MIGRATE_ON_START: 'true', ...env,
  });
}

async function signedIn(app: Portico) {
  const account = newAccount();
  const id = (await send(app, 'POST', '/v1/auth/register', { json: account })).body.user.id as string;
  const token = (await send(app, 'POST', '/v1/auth/login', { json: { email: account.email, password: account.password } })).body.accessToken as string;
  return { id, token };
}

describe('the PostgreSQL connection pool', function () {
  let database: TestDatabase;
  let observer: pg.Client;

  before(async function () {
    await requirePostgres(this);
    database = await createTestDatabase();
    observer = adminClient(database);
    await observer.connect();
  });
  after(async () => {
    await observer?.end();
    await database?.drop();
  });

  const appConnections = async () =>
    Number((await observer.query('select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database.name])).rows[0].n);

  it('serves 50 concurrent requests with at most 5 connections open', async () => {
    const app = await appOn(database, { DB_POOL_MAX: '5', DB_POOL_MIN: '0' });
    try {
      const { id, token } = await signedIn(app);
      let peak = 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, await appConnections());
          await new Promise((r) => setTimeout(r, 2));
        }
      })();
      const answers = await Promise.all(Array.from({ length: 50 }, () => send(app, 'GET', `/v1/users/${id}`, { token })));
      sampling = false;
      await sampler;
      expect(answers.map((a) => a.status)).to.deep.equal(Array(50).fill(200));
      expect(peak).to.be.within(1, 5);
    } finally {
      await app.stop();
    }
  });

  it('answers 503 DB.UNAVAILABLE with Retry-After once the acquire timeout passes, then recovers', async () => {
    const app = await appOn(database, { DB_POOL_MAX: '1', DB_POOL_ACQUIRE_TIMEOUT_MS: '300' });
    const locker = adminClient(database);
    await locker.connect();
    try {
      const { id, token } = await signedIn(app);
      await locker.query('begin');
      await locker.query('lock table users in access exclusive mode');
      // This request takes the only connection and waits on the lock; the next one finds no connection.
      const holding = send(app, 'GET', `/v1/users/${id}`, { token });
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      const starved = await send(app, 'GET', `/v1/users/${id}`, { token });
      expect(Date.now() - started).to.be.below(3000);
      expectProblem(starved, 503, 'DB.UNAVAILABLE');
      expect(Number(starved.headers.get('retry-after'))).to.be.greaterThan(0);
      expect(starved.text).to.not.match(/knex|pool|timeout acquiring/i);
      await locker.query('rollback');
      expect((await holding).status).to.equal(200);
      expect((await send(app, 'GET', `/v1/users/${id}`, { token })).status).to.equal(200);
    } finally {
      await locker.end();
      await app.stop();
    }
  });
});
