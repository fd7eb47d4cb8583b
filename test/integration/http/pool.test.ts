import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { aSignedInUser, expectDbUnavailable, send } from '../../support/http-client.js';
import { directClient, holdLock, watchPeakSessions } from '../../support/postgres-sessions.js';
import { startPorticoOn } from '../../support/start-portico-on.js';
import { useTestDatabase } from '../../support/use-test-database.js';

describe('the PostgreSQL connection pool', function () {
  const postgres = useTestDatabase();

  it('serves 50 concurrent requests with at most 5 connections open', async () => {
    const app = await startPorticoOn(postgres.database, { DB_POOL_MAX: '5', DB_POOL_MIN: '0' });
    try {
      const { id, token } = await aSignedInUser(app);
      const peak = watchPeakSessions(postgres.observer, postgres.database);
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => send(app, 'GET', `/v1/users/${id}`, { token })),
      );
      const most = await peak();
      expect(answers.map((a) => a.status)).to.deep.equal(Array(50).fill(200));
      expect(most).to.be.within(1, 5);
    } finally {
      await app.stop();
    }
  });

  it('answers 503 DB.UNAVAILABLE with Retry-After once the acquire timeout passes, then recovers', async () => {
    const app = await startPorticoOn(postgres.database, { DB_POOL_MAX: '1', DB_POOL_ACQUIRE_TIMEOUT_MS: '300' });
    const locker = await directClient(postgres.database);
    try {
      const { id, token } = await aSignedInUser(app);
      await holdLock(locker);
      // This request takes the only connection and waits on the lock; the next one finds no connection.
      const holding = send(app, 'GET', `/v1/users/${id}`, { token });
      await sleep(100);
      const started = Date.now();
      const starved = await send(app, 'GET', `/v1/users/${id}`, { token });
      expect(Date.now() - started).to.be.below(3000);
      expectDbUnavailable(starved, /knex|pool|timeout acquiring/i);
      await locker.query('rollback');
      expect((await holding).status).to.equal(200);
      expect((await send(app, 'GET', `/v1/users/${id}`, { token })).status).to.equal(200);
    } finally {
      await locker.end();
      await app.stop();
    }
  });
});
