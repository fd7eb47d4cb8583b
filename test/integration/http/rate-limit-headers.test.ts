import { expect } from 'chai';
import { expectProblem, newAccount, send, type Answer } from '../../support/http-client.js';
import { startPortico, type Portico } from '../../support/portico.js';
import { redisUrl, requireRedis } from '../../support/redis.js';

const login = (app: Portico, email: string, password: string) =>
  send(app, 'POST', '/v1/auth/login', { json: { email, password } });

/** `"policy";r=2;t=60, ...` as a map of policy -> { r, t } (and q, w for the policy header). */
function items(header: string | null): Record<string, Record<string, number>> {
  expect(header, 'header present').to.be.a('string');
  return Object.fromEntries(
    header!.split(', ').map((item) => {
      const [name, ...params] = item.split(';');
      expect(name).to.match(/^"[a-z-]+"$/);
      return [name!.slice(1, -1), Object.fromEntries(params.map((p) => [p.split('=')[0], Number(p.split('=')[1])]))];
    }),
  );
}
const limits = (res: Answer) => items(res.headers.get('ratelimit'));

describe('HTTP RateLimit headers (IETF httpapi draft) on the throttled routes', () => {
  let app: Portico;
  before(
    async () =>
      (app = await startPortico({
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
        LOGIN_MAX_FAILURES_PER_CLIENT: '50',
        LOGIN_THROTTLE_WINDOW_S: '60',
        ACCOUNT_MAIL_MAX_PER_ADDRESS: '2',
        ACCOUNT_RESPONSE_FLOOR_MS: '0',
        REFRESH_MAX_PER_CLIENT: '3',
        REFRESH_THROTTLE_WINDOW_S: '60',
      })),
  );
  after(() => app.stop());

  it('counts login failures down per account and per client, then keeps them beside Retry-After on the 429', async () => {
    const account = newAccount();
    await send(app, 'POST', '/v1/auth/register', { json: account });
    const first = await login(app, account.email, 'wrong password');
    expectProblem(first, 401, 'AUTH.INVALID_CREDENTIALS');
    expect(items(first.headers.get('ratelimit-policy'))).to.deep.equal({
      'login-account': { q: 3, w: 60 },
      'login-client': { q: 50, w: 60 },
    });
    expect(limits(first)['login-account']).to.include({ r: 2 });
    const clientLeft = limits(first)['login-client']!.r!;
    const second = await login(app, account.email, 'wrong password');
    expect(limits(second)['login-account']).to.include({ r: 1 });
    expect(limits(second)['login-client']!.r).to.equal(clientLeft - 1);
    await login(app, account.email, 'wrong password');
    const locked = await login(app, account.email, account.password);
    expectProblem(locked, 429, 'AUTH.THROTTLED');
    expect(limits(locked)['login-account']).to.include({ r: 0 });
    expect(limits(locked)['login-account']!.t).to.be.within(1, 60);
    expect(Number(locked.headers.get('retry-after'))).to.be.within(1, 60);
  });

  it('shows a whole account quota again after a right password', async () => {
    const account = newAccount();
    await send(app, 'POST', '/v1/auth/register', { json: account });
    await login(app, account.email, 'wrong password');
    const ok = await login(app, account.email, account.password);
    expect(ok.status).to.equal(200);
    expect(limits(ok)['login-account']).to.deep.equal({ r: 3, t: 0 });
  });

  it('counts forgot-password requests per address, the same for an address without an account', async () => {
    for (const email of [newAccount().email, 'nobody-here@example.com']) {
      if (email !== 'nobody-here@example.com')
        await send(app, 'POST', '/v1/auth/register', { json: { ...newAccount(), email } });
      const first = await send(app, 'POST', '/v1/auth/password/forgot', { json: { email } });
      expect(first.status).to.equal(202);
      expect(limits(first)['mail-account']).to.include({ r: 1 });
      await send(app, 'POST', '/v1/auth/password/forgot', { json: { email } });
      const third = await send(app, 'POST', '/v1/auth/password/forgot', { json: { email } });
      expectProblem(third, 429, 'AUTH.THROTTLED');
      expect(limits(third)['mail-account']).to.include({ r: 0 });
      expect(third.headers.get('retry-after')).to.match(/^\d+$/);
    }
  });

  it('counts refreshes per client only, valid token or not, and refuses past the quota', async () => {
    const account = newAccount();
    await send(app, 'POST', '/v1/auth/register', { json: account });
    const pair = (await login(app, account.email, account.password)).body;
    const refreshed = await send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: pair.refreshToken } });
    expect(refreshed.status).to.equal(200);
    expect(items(refreshed.headers.get('ratelimit-policy'))).to.deep.equal({ 'refresh-client': { q: 3, w: 60 } });
    expect(limits(refreshed)['refresh-client']).to.include({ r: 2 });
    const bogus = await send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: 'rt_not-a-token' } });
    expectProblem(bogus, 401, 'AUTH.INVALID_REFRESH_TOKEN');
    expect(limits(bogus)['refresh-client']).to.include({ r: 1 });
    await send(app, 'POST', '/v1/auth/refresh', { json: { refreshToken: 'rt_not-a-token' } });
    const refused = await send(app, 'POST', '/v1/auth/refresh', {
      json: { refreshToken: refreshed.body.refreshToken },
    });
    expectProblem(refused, 429, 'AUTH.THROTTLED');
    expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 60);
  });

  it('sends none on routes that are not throttled', async () => {
    const res = await send(app, 'GET', '/health/live');
    expect(res.headers.get('ratelimit')).to.equal(null);
    expect(res.headers.get('ratelimit-policy')).to.equal(null);
  });

  it('documents both headers on the throttled operations', async () => {
    const doc = (await send(app, 'GET', '/openapi.json')).body;
    for (const [path, method, status] of [
      ['/v1/auth/login', 'post', '200'],
      ['/v1/auth/refresh', 'post', '200'],
      ['/v1/auth/password/forgot', 'post', '202'],
      ['/v1/auth/email/verify/resend', 'post', '202'],
      ['/v1/auth/mfa/verify', 'post', '200'],
      ['/v1/auth/mfa/totp', 'delete', '204'],
    ] as const) {
      expect(
        Object.keys(doc.paths[path][method].responses[status].headers ?? {}),
        `${method} ${path}`,
      ).to.include.members(['RateLimit-Policy', 'RateLimit']);
    }
  });
});

describe('HTTP RateLimit headers with the counts in Redis', function () {
  let a: Portico;
  let b: Portico;
  before(async function () {
    await requireRedis(this);
    const env = { REDIS_URL: redisUrl(), LOGIN_MAX_FAILURES_PER_ACCOUNT: '4', LOGIN_THROTTLE_WINDOW_S: '60' };
    [a, b] = [await startPortico(env), await startPortico(env)];
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
  });

  it('report what both instances counted', async () => {
    const email = newAccount().email;
    expect(limits(await login(a, email, 'wrong password'))['login-account']).to.include({ r: 3 });
    expect(limits(await login(b, email, 'wrong password'))['login-account']).to.include({ r: 2 });
  });
});
