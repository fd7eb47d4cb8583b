import { expect } from 'chai';
import { expectProblem, newAccount, send } from '../../support/http-client.js';
import { startPortico, type Portico } from '../../support/portico.js';
import { redisUrl, requireRedis } from '../../support/redis.js';

const attempt = (app: Portico, email: string, password: string) =>
  send(app, 'POST', '/v1/auth/login', { json: { email, password } });

describe('HTTP login throttling in one process (memory)', () => {
  let app: Portico;
  before(async () => (app = await startPortico({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_THROTTLE_WINDOW_S: '60' })));
  after(() => app.stop());

  it('answers 429 with Retry-After after 3 failures, even for the right password', async () => {
    const account = newAccount();
    await send(app, 'POST', '/v1/auth/register', { json: account });
    for (let i = 0; i < 3; i++) expectProblem(await attempt(app, account.email, 'wrong password'), 401, 'AUTH.INVALID_CREDENTIALS');
    const locked = await attempt(app, account.email, account.password);
    expectProblem(locked, 429, 'AUTH.THROTTLED');
    expect(Number(locked.headers.get('retry-after'))).to.be.within(1, 60);
  });

  it('answers an unknown account the same way, so a lockout reveals nothing', async () => {
    const ghost = newAccount();
    for (let i = 0; i < 3; i++) expectProblem(await attempt(app, ghost.email, 'wrong password'), 401, 'AUTH.INVALID_CREDENTIALS');
    expectProblem(await attempt(app, ghost.email, 'wrong password'), 429, 'AUTH.THROTTLED');
  });

  it('limits one client address across many accounts', async () => {
    const perClient = await startPortico({ LOGIN_MAX_FAILURES_PER_CLIENT: '4', LOGIN_MAX_FAILURES_PER_ACCOUNT: '100' });
    try {
      for (let i = 0; i < 4; i++) expectProblem(await attempt(perClient, newAccount().email, 'wrong password'), 401, 'AUTH.INVALID_CREDENTIALS');
      expectProblem(await attempt(perClient, newAccount().email, 'wrong password'), 429, 'AUTH.THROTTLED');
    } finally {
      await perClient.stop();
    }
  });
});

describe('HTTP login throttling shared through Redis by two app processes', () => {
  let a: Portico;
  let b: Portico;
  before(async function () {
    await requireRedis(this);
    const env = { REDIS_URL: redisUrl(), LOGIN_MAX_FAILURES_PER_ACCOUNT: '4', LOGIN_THROTTLE_WINDOW_S: '60' };
    [a, b] = await Promise.all([startPortico(env), startPortico(env)]);
  });
  after(async () => Promise.all([a?.stop(), b?.stop()]));

  it('counts failures made on either instance against the same account', async () => {
    const account = newAccount();
    expect((await send(a, 'POST', '/v1/auth/register', { json: account })).status).to.equal(201);
    for (const app of [a, b, a, b]) expectProblem(await attempt(app, account.email, 'wrong password'), 401, 'AUTH.INVALID_CREDENTIALS');
    expectProblem(await attempt(a, account.email, account.password), 429, 'AUTH.THROTTLED');
    expectProblem(await attempt(b, account.email, account.password), 429, 'AUTH.THROTTLED');
  });
});
