import { expect } from 'chai';
import { aSignedInUser, expectDbUnavailable, send } from '../../support/http-client.js';
import { watchPeakSessions } from '../../support/postgres-sessions.js';
import { useTestDatabase } from '../../support/use-test-database.js';

describe('the app under a burst of 500 concurrent requests with a pool of 10', function () {
  this.timeout(120_000);
  const postgres = useTestDatabase({
    DB_POOL_MAX: '10',
    DB_POOL_MIN: '0',
    DB_POOL_ACQUIRE_TIMEOUT_MS: '1000',
    LOG_LEVEL: 'warn',
  });

  it('completes every request (200, or 503 with Retry-After once the acquire timeout passes) and never opens more than 10 connections', async () => {
    const users = await Promise.all(Array.from({ length: 5 }, () => aSignedInUser(postgres.app)));
    const peak = watchPeakSessions(postgres.observer, postgres.database);
    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, i) => {
        const { id, token } = users[i % users.length]!;
        return send(postgres.app, 'GET', `/v1/users/${id}`, { token });
      }),
    );
    const most = await peak();

    for (const busy of answers.filter((a) => a.status !== 200)) expectDbUnavailable(busy);
    expect(answers).to.have.length(500);
    expect(most).to.be.within(1, 10);
    const metrics = (await send(postgres.app, 'GET', '/metrics')).text;
    expect(metrics).to.match(/^db_pool_connections_max 10$/m);
    expect(Number(/^db_pool_connections (\d+)$/m.exec(metrics)?.[1])).to.be.within(0, 10);
  });
});
