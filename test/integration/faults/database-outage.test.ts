import { expect } from 'chai';
import { aSignedInUser, expectDbUnavailable, newAccount, send, type Answer } from '../../support/http-client.js';
import type { Portico } from '../../support/portico.js';
import { stuckOnALock } from '../../support/postgres-sessions.js';
import { startPorticoOn } from '../../support/start-portico-on.js';
import { TcpProxy } from '../../support/tcp-proxy.js';
import { until } from '../../support/until.js';
import { useTestDatabase } from '../../support/use-test-database.js';

// Short database timeouts so a black hole is noticed quickly; the request timeout stays out of the way.
const FAST_FAILURE = {
  DB_QUERY_TIMEOUT_MS: '1000',
  DB_CONNECT_TIMEOUT_MS: '500',
  DB_POOL_ACQUIRE_TIMEOUT_MS: '1500',
  REQUEST_TIMEOUT_MS: '60000',
};
const DRIVER_TEXT = /ECONN|terminated|timeout|knex|select |insert |pool/i;

const expectUnavailable = (res: Answer) => expectDbUnavailable(res, DRIVER_TEXT);

describe('the app when its PostgreSQL goes away (through a proxy the test cuts)', function () {
  this.timeout(60_000);
  const postgres = useTestDatabase();
  let proxy: TcpProxy;
  let app: Portico;

  beforeEach(async () => {
    proxy = await TcpProxy.start({ host: postgres.database.db.host, port: postgres.database.db.port });
    app = await startPorticoOn(postgres.database, FAST_FAILURE, { host: '127.0.0.1', port: proxy.port });
  });
  afterEach(async () => {
    await proxy?.restore();
    await app?.stop();
    await proxy?.close();
  });

  it('answers 503 DB.UNAVAILABLE and readiness 503 while cut off, then recovers without a restart', async () => {
    const user = await aSignedInUser(app);
    expect((await send(app, 'GET', `/v1/users/${user.id}`, { token: user.token })).status).to.equal(200);

    await proxy.cut();
    expectUnavailable(await send(app, 'GET', `/v1/users/${user.id}`, { token: user.token }));
    expectUnavailable(await send(app, 'POST', '/v1/auth/register', { json: newAccount() }));
    const ready = await send(app, 'GET', '/health/ready');
    expect(ready.status).to.equal(503);
    expect(ready.body).to.deep.equal({ status: 'unavailable', checks: { database: 'failed' } });

    await proxy.restore();
    expect((await send(app, 'GET', `/v1/users/${user.id}`, { token: user.token })).status).to.equal(200);
    expect((await send(app, 'GET', '/health/ready')).status).to.equal(200);
    expect((await send(app, 'POST', '/v1/auth/register', { json: newAccount() })).status).to.equal(201);
  });

  it('fails a query in flight when its connection is cut, instead of leaving the request hanging', async () => {
    const user = await aSignedInUser(app);
    const request = () => send(app, 'GET', `/v1/users/${user.id}`, { token: user.token });
    expectUnavailable(await stuckOnALock(postgres.database, postgres.observer, request, () => proxy.cut()));
    await proxy.restore();
    expect((await send(app, 'GET', `/v1/users/${user.id}`, { token: user.token })).status).to.equal(200);
  });

  it('answers 503 instead of hanging when the database stops answering (a black hole), and recovers', async () => {
    const user = await aSignedInUser(app);
    proxy.stall();
    expectUnavailable(await send(app, 'GET', `/v1/users/${user.id}`, { token: user.token }));
    // Another request, now also needing a new connection that never gets its greeting.
    expectUnavailable(await send(app, 'GET', `/v1/users/${user.id}`, { token: user.token }));
    expect((await send(app, 'GET', '/health/ready')).status).to.equal(503);

    await proxy.restore();
    expect((await send(app, 'GET', `/v1/users/${user.id}`, { token: user.token })).status).to.equal(200);
    expect((await send(app, 'GET', '/health/ready')).status).to.equal(200);
  });

  it('never loses a write it acknowledged, when the database is cut in the middle of a stream of writes', async () => {
    const outcomes: Array<{ email: string; status: number; code?: string }> = [];
    const count = (status: number) => outcomes.filter((o) => o.status === status).length;
    let writing = true;
    const lane = async () => {
      while (writing) {
        const account = newAccount();
        const res = await send(app, 'POST', '/v1/auth/register', { json: account });
        outcomes.push({ email: account.email, status: res.status, code: res.body.code as string | undefined });
      }
    };
    const lanes = Array.from({ length: 4 }, lane);
    await until(() => count(201) >= 20);
    await proxy.cut();
    await until(() => count(503) >= 8);
    const beforeRestore = count(201);
    await proxy.restore();
    await until(() => count(201) >= beforeRestore + 20);
    writing = false;
    await Promise.all(lanes);

    expect(
      outcomes.filter((o) => o.status !== 201 && !(o.status === 503 && o.code === 'DB.UNAVAILABLE')),
    ).to.deep.equal([]);
    const acknowledged = outcomes.filter((o) => o.status === 201).map((o) => o.email);
    const { rows } = await postgres.observer.query('select email from users where email = any($1)', [acknowledged]);
    expect(rows.map((r: { email: string }) => r.email).sort()).to.deep.equal([...acknowledged].sort());
  });
});
