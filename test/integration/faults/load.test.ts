import { expect } from 'chai';
import type pg from 'pg';
import { expectProblem, send, type Answer } from '../../support/http-client.js';
import type { Portico } from '../../support/portico.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from '../../support/postgres.js';
import { appOn, directClient, signedIn } from './support.js';

describe('the app under a burst of 500 concurrent requests with a pool of 10', function () {
  this.timeout(120_000);
  let database: TestDatabase;
  let observer: pg.Client;
  let app: Portico;

  before(async function () {
    await requirePostgres(this);
    database = await createTestDatabase();
    observer = await directClient(database);
    app = await appOn(database, { DB_POOL_MAX: '10', DB_POOL_MIN: '0', DB_POOL_ACQUIRE_TIMEOUT_MS: '1000', LOG_LEVEL: 'warn' });
  });
  after(async () => {
    await app?.stop();
    await observer?.end();
    await database?.drop();
  });

  const appConnections = async () =>
    Number((await observer.query('select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database.name])).rows[0].n);

  it('completes every request (200, or 503 with Retry-After once the acquire timeout passes) and never opens more than 10 connections', async () => {
    const users = await Promise.all(Array.from({ length: 5 }, () => signedIn(app)));
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await appConnections());
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, i) => {
        const { id, token } = users[i % users.length]!;
        return send(app, 'GET', `/v1/users/${id}`, { token });
      }),
    );
    sampling = false;
    await sampler;

    const busy = answers.filter((a) => a.status !== 200);
    busy.forEach((a: Answer) => {
      expectProblem(a, 503, 'DB.UNAVAILABLE');
      expect(Number(a.headers.get('retry-after'))).to.be.greaterThan(0);
    });
    expect(answers).to.have.length(500);
    expect(peak).to.be.within(1, 10);
    const metrics = (await send(app, 'GET', '/metrics')).text;
    expect(metrics).to.match(/^db_pool_connections_max 10$/m);
    expect(Number(/^db_pool_connections (\d+)$/m.exec(metrics)?.[1])).to.be.within(0, 10);
  });
});
