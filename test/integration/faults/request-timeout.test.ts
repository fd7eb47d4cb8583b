import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import Koa from 'koa';
import type pg from 'pg';
import { errorHandler } from '../../../src/adapters/http/middleware/errors.js';
import { requestId } from '../../../src/adapters/http/middleware/request-id.js';
import { requestTimeout, signalOf } from '../../../src/adapters/http/middleware/timeout.js';
import type { HttpState } from '../../../src/adapters/http/context.js';
import { createLogger } from '../../../src/infrastructure/logging.js';
import { aSignedInUser, expectProblem, send } from '../../support/http-client.js';
import { directClient, holdLock, someoneWaitsOnALock } from '../../support/postgres-sessions.js';
import { until } from '../../support/until.js';
import { useTestDatabase } from '../../support/use-test-database.js';

const settledLines = (logs: string[]) =>
  logs.filter((l) => l.includes('abandoned request settled')).map((l) => JSON.parse(l) as { outcome: string });

describe('REQUEST_TIMEOUT_MS', function () {
  this.timeout(30_000);

  describe('the middleware, on a bare Koa app', () => {
    it('answers 503 REQUEST.TIMEOUT in time, ignores what the late handler writes, and logs how it ended', async () => {
      const logs: string[] = [];
      const logger = createLogger(
        'info',
        new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(chunk.toString()), done()) }),
      );
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const app = new Koa<HttpState>();
      app.use(errorHandler(logger));
      app.use(requestId());
      app.use(requestTimeout(100, logger));
      let abortedWith: unknown;
      app.use(async (ctx) => {
        const signal = signalOf(ctx);
        if (ctx.path === '/slow') await gate;
        abortedWith = signal.aborted ? (signal.reason as { code?: string }).code : undefined;
        ctx.status = 201;
        ctx.set('X-Late', 'yes');
        ctx.body = { late: true };
      });
      const server = http.createServer(app.callback()).listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const slow = await send({ url }, 'GET', '/slow');
        expectProblem(slow, 503, 'REQUEST.TIMEOUT');
        expect(Number(slow.headers.get('retry-after'))).to.be.greaterThan(0);
        expect(slow.headers.get('x-late')).to.equal(null);
        release();
        await until(() => settledLines(logs).length > 0);
        expect(settledLines(logs)).to.have.length(1);
        expect(settledLines(logs)[0]).to.include({ outcome: 'completed' });
        // Work that took the request's signal saw it abort, with the reason the client got.
        expect(abortedWith).to.equal('REQUEST.TIMEOUT');
        expect(logs.some((l) => l.includes('"code":"REQUEST.TIMEOUT"'))).to.equal(true);
        expect((await send({ url }, 'GET', '/fast')).status).to.equal(201);
        expect(abortedWith).to.equal(undefined);
      } finally {
        server.close();
        server.closeAllConnections();
      }
    });
  });

  describe('the whole app on PostgreSQL', () => {
    const postgres = useTestDatabase({ REQUEST_TIMEOUT_MS: '300' });
    let locker: pg.Client;

    beforeEach(async () => {
      locker = await directClient(postgres.database);
    });
    afterEach(() => locker?.end());

    it('answers 503 REQUEST.TIMEOUT while the query waits, and the connection comes back once it finishes', async () => {
      const user = await aSignedInUser(postgres.app);
      await holdLock(locker);
      const res = await send(postgres.app, 'GET', `/v1/users/${user.id}`, { token: user.token });
      expectProblem(res, 503, 'REQUEST.TIMEOUT');
      await locker.query('rollback');
      // Authentication was waiting too, so the route never ran its handler.
      await until(() => settledLines(postgres.app.logs).length > 0);
      expect(settledLines(postgres.app.logs)).to.have.length(1);
      expect(settledLines(postgres.app.logs)[0]).to.include({ outcome: 'stopped' });
      expect((await send(postgres.app, 'GET', `/v1/users/${user.id}`, { token: user.token })).status).to.equal(200);
    });

    it('abandons the work: a change that timed out while authenticating is never made', async () => {
      const user = await aSignedInUser(postgres.app);
      const before = settledLines(postgres.app.logs).length;
      await holdLock(locker);
      const res = await send(postgres.app, 'PATCH', `/v1/users/${user.id}`, {
        token: user.token,
        json: { name: 'Too Late' },
      });
      expectProblem(res, 503, 'REQUEST.TIMEOUT');
      // Still waiting on the lock, behind an answer already sent.
      expect(await someoneWaitsOnALock(postgres.observer, postgres.database)).to.equal(true);
      await locker.query('rollback');
      await until(() => settledLines(postgres.app.logs).length > before);
      expect(settledLines(postgres.app.logs).at(-1)).to.deep.include({ outcome: 'stopped' });
      const now = await send(postgres.app, 'GET', `/v1/users/${user.id}`, { token: user.token });
      expect(now.body.user.name).to.not.equal('Too Late');
    });
  });
});
