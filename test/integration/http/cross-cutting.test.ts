import { expect } from 'chai';
import { RegisterUser } from '../../../src/application/users/register-user.js';
import type { User } from '../../../src/domain/user/user.js';
import { startTestApp, type TestApp } from '../../support/http-app.js';
import { expectProblem, newAccount, send } from '../../support/http-client.js';

const ALLOWED = 'https://app.example.com';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const corsHeadersOf = (headers: Headers) => [...headers.keys()].filter((k) => k.startsWith('access-control-'));

/** The request line is written when the response closes, which can be just after fetch resolves. */
async function logLineFor(app: TestApp, requestId: string): Promise<Record<string, any>> {
  for (let i = 0; i < 50; i++) {
    const line = app.logs.find((l) => l.includes(`"requestId":"${requestId}"`) && l.includes('"msg":"request"'));
    if (line) return JSON.parse(line);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no request log line for ${requestId}`);
}

describe('HTTP cross-cutting: CORS', () => {
  let app: TestApp;
  before(async () => (app = await startTestApp()));
  after(() => app.close());

  it('gives an allowed origin its exact origin, credentials and Vary: Origin', async () => {
    const res = await send(app, 'GET', '/health/ready', { headers: { origin: ALLOWED } });
    expect(res.headers.get('access-control-allow-origin')).to.equal(ALLOWED);
    expect(res.headers.get('access-control-allow-credentials')).to.equal('true');
    expect(res.headers.get('vary')).to.match(/\bOrigin\b/);
  });

  it('gives an unlisted origin no CORS headers at all', async () => {
    for (const origin of ['https://evil.example.com', 'https://app.example.com.evil.net', 'null']) {
      const res = await send(app, 'GET', '/health/ready', { headers: { origin } });
      expect(res.status).to.equal(200);
      expect(corsHeadersOf(res.headers), origin).to.deep.equal([]);
    }
  });

  it('answers a preflight from an allowed origin, and not one from another', async () => {
    const ask = (origin: string) =>
      send(app, 'OPTIONS', '/v1/users', {
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const ok = await ask(ALLOWED);
    expect(ok.status).to.equal(204);
    expect(ok.headers.get('access-control-allow-origin')).to.equal(ALLOWED);
    expect(ok.headers.get('access-control-allow-credentials')).to.equal('true');
    expect(ok.headers.get('access-control-allow-methods')).to.include('POST');
    expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).to.include('authorization');
    expect(corsHeadersOf((await ask('https://evil.example.com')).headers)).to.deep.equal([]);
  });

  it('keeps CORS headers on error answers so the browser can read the problem', async () => {
    const res = await send(app, 'GET', '/v1/auth/me', { headers: { origin: ALLOWED } });
    expectProblem(res, 401, 'AUTH.UNAUTHENTICATED');
    expect(res.headers.get('access-control-allow-origin')).to.equal(ALLOWED);
    expect(res.headers.get('access-control-expose-headers')?.toLowerCase()).to.include('x-request-id');
  });
});

describe('HTTP cross-cutting: request ids and headers', () => {
  let app: TestApp;
  before(async () => (app = await startTestApp()));
  after(() => app.close());

  it('echoes a sane client request id, on success and on error', async () => {
    const ok = await send(app, 'GET', '/health/ready', { headers: { 'x-request-id': 'abc-123.X_y' } });
    expect(ok.headers.get('x-request-id')).to.equal('abc-123.X_y');
    const err = await send(app, 'GET', '/nope', { headers: { 'x-request-id': 'trace.42' } });
    expectProblem(err, 404, 'ROUTE.NOT_FOUND');
    expect(err.body.requestId).to.equal('trace.42');
  });

  it('replaces a missing, unsafe or overlong request id with a UUID', async () => {
    for (const offered of [undefined, 'has spaces', 'semi;colon', 'x'.repeat(129), '<script>']) {
      const res = await send(app, 'GET', '/health/ready', {
        headers: offered === undefined ? {} : { 'x-request-id': offered },
      });
      expect(res.headers.get('x-request-id'), offered).to.match(UUID);
    }
    const a = await send(app, 'GET', '/health/ready');
    const b = await send(app, 'GET', '/health/ready');
    expect(a.headers.get('x-request-id')).not.to.equal(b.headers.get('x-request-id'));
  });

  it('marks API answers, errors included, no-store and nosniff', async () => {
    for (const res of [
      await send(app, 'GET', '/health/live'),
      await send(app, 'GET', '/v1/auth/me'),
      await send(app, 'POST', '/v1/auth/login', { raw: '{' }),
    ]) {
      expect(res.headers.get('cache-control')).to.equal('no-store');
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    }
  });
});

describe('HTTP cross-cutting: logging', () => {
  const PASSWORD = 'Pa55word-that-must-not-leak';
  const BEARER = 'bearer-value-that-must-not-leak';

  it('writes one line per request with method, route, status, ms and request id', async () => {
    const app = await startTestApp();
    const res = await send(app, 'GET', '/v1/users/0190a5d0-0000-7000-8000-000000000000', {
      headers: { 'x-request-id': 'log-line-1' },
    });
    const line = await logLineFor(app, 'log-line-1');
    await app.close();
    expect(res.status).to.equal(401);
    expect(line).to.include({ method: 'GET', route: '/v1/users/:id', status: 401, code: 'AUTH.UNAUTHENTICATED' });
    expect(line.ms).to.be.a('number');
    expect(
      app.logs.filter((l) => l.includes('"requestId":"log-line-1"') && l.includes('"msg":"request"')),
    ).to.have.length(1);
  });

  it('never writes passwords or credentials, at any depth', async () => {
    // A core that fails with the request's secrets buried inside its error: the worst case.
    const leaky = new (class extends RegisterUser {
      override async execute(input: { password: string }): Promise<User> {
        throw Object.assign(new Error('store exploded'), {
          context: {
            attempt: {
              input: { password: input.password, nested: [{ refreshToken: PASSWORD, accessToken: PASSWORD }] },
            },
          },
        });
      }
    })(null as never, null as never, null as never, null as never, null as never, null as never);
    const app = await startTestApp({
      // No admin account: the boot would create it through the leaky use case.
      env: { ADMIN_EMAIL: '', ADMIN_PASSWORD: '' },
      override: (c) => c.rebind(RegisterUser).toConstantValue(leaky),
    });
    const res = await send(app, 'POST', '/v1/auth/register', {
      json: newAccount({ password: PASSWORD }),
      headers: { authorization: `Bearer ${BEARER}`, cookie: `session=${BEARER}`, 'x-request-id': 'log-secret-1' },
    });
    const line = await logLineFor(app, 'log-secret-1');
    await app.close();
    expectProblem(res, 500, 'INTERNAL');
    const written = app.logs.join('');
    expect(written).to.include('store exploded');
    expect(line.req.headers).to.include({ authorization: '[redacted]', cookie: '[redacted]' });
    expect(written).to.include('"password":"[redacted]"').and.include('"refreshToken":"[redacted]"');
    expect(written).not.to.include(PASSWORD);
    expect(written).not.to.include(BEARER);
  });
});
