import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type pg from 'pg';
import { aSignedInUser, expectDbUnavailable, send, type Answer } from '../../support/http-client.js';
import type { Portico } from '../../support/portico.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from '../../support/postgres.js';
import { directClient, stuckOnALock, terminateSessions } from '../../support/postgres-sessions.js';
import { startPorticoOn } from '../../support/start-portico-on.js';

// The pool gives up quickly, so a refusal is answered within the test; the request timeout stays out of the way.
const FAST_FAILURE = { DB_CONNECT_TIMEOUT_MS: '1000', DB_POOL_ACQUIRE_TIMEOUT_MS: '2000', REQUEST_TIMEOUT_MS: '60000' };

const expectUnavailable = (res: Answer) =>
  expectDbUnavailable(res, /not currently accepting|too many connections|terminating|select |pg_/i);

/** The SQLSTATEs the app logged for failed requests: proof the refusal the test meant is the one it met. */
const loggedCodes = (app: Portico) => app.logs.flatMap((line) => [...line.matchAll(/\((\w{5})\)/g)].map((m) => m[1]));

describe('the app when PostgreSQL refuses its connections (the server up, saying no)', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  let admin: pg.Client;
  let app: Portico | undefined;

  before(async function () {
    await requirePostgres(this);
  });
  beforeEach(async () => {
    database = await createTestDatabase();
    // On the server's admin database: the session must outlive the test database refusing connections.
    admin = await directClient(database, 'test');
  });
  afterEach(async () => {
    await admin?.query(`alter database "${database.name}" allow_connections true`).catch(() => {});
    await app?.stop();
    app = undefined;
    await admin?.end();
    await database?.drop();
  });

  it('answers 503 DB.UNAVAILABLE to a login while the database does not accept connections (55000), and recovers', async () => {
    app = await startPorticoOn(database, FAST_FAILURE);
    const user = await aSignedInUser(app);
    const credentials = { email: user.email, password: user.password };

    await admin.query(`alter database "${database.name}" allow_connections false`);
    await terminateSessions(admin, database);
    // The first request may meet a pooled connection the server already closed; the next ones need a new one.
    for (let i = 0; i < 3; i++) expectUnavailable(await send(app, 'POST', '/v1/auth/login', { json: credentials }));
    expect((await send(app, 'GET', '/health/ready')).status).to.equal(503);
    expect(loggedCodes(app)).to.include('55000');

    await admin.query(`alter database "${database.name}" allow_connections true`);
    expect((await send(app, 'POST', '/v1/auth/login', { json: credentials })).status).to.equal(200);
  });

  it("answers 503 DB.UNAVAILABLE when the app's connection is terminated in the middle of a query (57P01)", async () => {
    app = await startPorticoOn(database, FAST_FAILURE);
    const user = await aSignedInUser(app);
    const request = () => send(app!, 'GET', `/v1/users/${user.id}`, { token: user.token });
    const killWaiting = () => terminateSessions(admin, database, "wait_event_type = 'Lock'");
    expectUnavailable(await stuckOnALock(database, admin, request, killWaiting));
    expect(loggedCodes(app)).to.include('57P01');
    expect((await send(app, 'GET', `/v1/users/${user.id}`, { token: user.token })).status).to.equal(200);
  });

  describe('with the app connecting as a role whose connection limit is reached (53300)', () => {
    const role = `portico_limited_${randomBytes(4).toString('hex')}`;
    afterEach(async () => {
      await app?.stop();
      app = undefined;
      await terminateSessions(admin, database);
      await admin.query(`drop database if exists "${database.name}" with (force)`);
      await admin.query(`drop role if exists ${role}`);
    });

    it('answers 503 DB.UNAVAILABLE to a login, and recovers once the limit allows it', async () => {
      // Superusers are exempt from connection limits: the app needs a role of its own, owning what it migrates.
      await admin.query(`create role ${role} login`);
      await admin.query(`alter database "${database.name}" owner to ${role}`);
      const owner = await directClient(database);
      await owner.query(`alter schema public owner to ${role}`).finally(() => owner.end());
      app = await startPorticoOn(database, { ...FAST_FAILURE, DB_USER: role });
      const user = await aSignedInUser(app);
      const credentials = { email: user.email, password: user.password };

      await admin.query(`alter role ${role} connection limit 0`);
      await terminateSessions(admin, database, 'usename = $2', [role]);
      for (let i = 0; i < 3; i++) expectUnavailable(await send(app, 'POST', '/v1/auth/login', { json: credentials }));
      expect(loggedCodes(app)).to.include('53300');

      await admin.query(`alter role ${role} connection limit -1`);
      expect((await send(app, 'POST', '/v1/auth/login', { json: credentials })).status).to.equal(200);
    });
  });
});
