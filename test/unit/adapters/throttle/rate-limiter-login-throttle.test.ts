import { expect } from 'chai';
import { RateLimiterLoginThrottle } from '../../../../src/adapters/throttle/rate-limiter-login-throttle.js';
import type { LoginAttempt } from '../../../../src/domain/ports/login-throttle.js';
import { trackRateLimits } from '../../../../src/shared/rate-limits.js';
import { rejectionOf } from '../../../support/rejection.js';

const throttle = (perAccount = 5, perClient = 100) =>
  new RateLimiterLoginThrottle({ perAccount, perClient, windowSeconds: 60 });

/** Settles every promise; answers 'ok' or the error code, in order. */
const outcomes = (attempts: Promise<void>[]) =>
  Promise.all(
    attempts.map((p) =>
      p.then(
        () => 'ok',
        (err: { code?: string }) => err.code ?? String(err),
      ),
    ),
  );

const count = (values: string[], value: string) => values.filter((v) => v === value).length;

describe('RateLimiterLoginThrottle (memory)', () => {
  it('admits no more than the limit of attempts consumed at once, before any outcome is known', async () => {
    const limiter = throttle(5);
    const attempt: LoginAttempt = { account: 'alice@example.com', client: 'c1' };
    const answers = await outcomes(Array.from({ length: 15 }, () => limiter.consume(attempt)));
    expect(count(answers, 'ok')).to.equal(5);
    expect(count(answers, 'AUTH.THROTTLED')).to.equal(10);
    expect(answers.slice(0, 5)).to.deep.equal(Array(5).fill('ok'));
  });

  it('refuses with the wait in seconds once the account is spent, whatever the client', async () => {
    const limiter = throttle(2);
    await limiter.consume({ account: 'a@example.com', client: 'c1' });
    await limiter.consume({ account: 'a@example.com', client: 'c2' });
    const err = await rejectionOf(limiter.consume({ account: 'a@example.com', client: 'c3' }));
    expect(err.code).to.equal('AUTH.THROTTLED');
    expect(err).to.have.property('retryAfterSeconds').that.is.within(1, 60);
    await limiter.consume({ account: 'b@example.com', client: 'c3' });
  });

  it('limits one client across accounts', async () => {
    const limiter = throttle(100, 3);
    for (let i = 0; i < 3; i++) await limiter.consume({ account: `u${i}@example.com`, client: 'c1' });
    expect((await rejectionOf(limiter.consume({ account: 'u9@example.com', client: 'c1' }))).code).to.equal(
      'AUTH.THROTTLED',
    );
    await limiter.consume({ account: 'u9@example.com', client: 'c2' });
  });

  it('gives the attempt back on success: the account starts over and the client is not charged', async () => {
    const limiter = throttle(3, 3);
    const attempt = { account: 'a@example.com', client: 'c1' };
    for (let i = 0; i < 2; i++) await limiter.consume(attempt);
    await limiter.consume(attempt);
    await limiter.recordSuccess(attempt);
    // The account's failures are forgotten; the client keeps its 2 failures and got the third back.
    await limiter.consume({ account: 'a@example.com', client: 'c2' });
    await limiter.consume({ account: 'z@example.com', client: 'c1' });
    expect((await rejectionOf(limiter.consume({ account: 'y@example.com', client: 'c1' }))).code).to.equal(
      'AUTH.THROTTLED',
    );
  });

  it('does not charge an account for attempts refused because the client is spent', async () => {
    const limiter = throttle(2, 1);
    await limiter.consume({ account: 'x@example.com', client: 'attacker' });
    for (let i = 0; i < 5; i++) {
      expect((await rejectionOf(limiter.consume({ account: 'victim@example.com', client: 'attacker' }))).code).to.equal(
        'AUTH.THROTTLED',
      );
    }
    await limiter.consume({ account: 'victim@example.com', client: 'owner' });
    await limiter.consume({ account: 'victim@example.com', client: 'owner2' });
  });

  it('reports where each quota stands to the request tracking it: spent, refused, given back', async () => {
    const limiter = throttle(2, 10);
    const attempt: LoginAttempt = { account: 'bob@example.com', client: 'c9' };
    const seen = async (work: () => Promise<void>) => {
      const { states, done } = trackRateLimits(work);
      await done.catch(() => undefined);
      return Object.fromEntries([...states].map(([policy, s]) => [policy, s.remaining]));
    };
    expect(await seen(() => limiter.consume(attempt))).to.deep.equal({ 'login-account': 1, 'login-client': 9 });
    await limiter.consume(attempt);
    // Refused by the account: the client's spend is given back, and reported so.
    expect(await seen(() => limiter.consume(attempt))).to.deep.equal({ 'login-account': 0, 'login-client': 8 });
    const fresh: LoginAttempt = { account: 'carol@example.com', client: 'c9' };
    expect(
      await seen(async () => {
        await limiter.consume(fresh);
        await limiter.recordSuccess(fresh);
      }),
    ).to.deep.equal({ 'login-account': 2, 'login-client': 8 });
  });

  it('with no per-account quota, counts the client only', async () => {
    const limiter = new RateLimiterLoginThrottle({ perAccount: 0, perClient: 2, windowSeconds: 60 });
    const { states, done } = trackRateLimits(() => limiter.consume({ account: 'anything', client: 'c7' }));
    await done;
    expect([...states.keys()]).to.deep.equal(['login-client']);
    await limiter.consume({ account: 'other', client: 'c7' });
    expect((await rejectionOf(limiter.consume({ account: 'third', client: 'c7' }))).code).to.equal('AUTH.THROTTLED');
  });
});
