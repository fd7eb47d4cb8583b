import { expect } from 'chai';
import { Idempotency } from '../../../../src/adapters/http/idempotency.js';
import type { HttpContext } from '../../../../src/adapters/http/context.js';
import { HttpProblem } from '../../../../src/adapters/http/problem.js';
import { InMemoryIdempotencyStore } from '../../../../src/adapters/persistence/in-memory/in-memory-idempotency-store.js';
import { DomainError } from '../../../../src/domain/errors.js';

/** Just what Idempotency reads and writes of a Koa context. */
function aContext(key: string) {
  const headers: Record<string, string> = {};
  const ctx = {
    req: { headers: { 'idempotency-key': key } },
    state: { requestId: 'req-1' },
    ip: '127.0.0.1',
    method: 'POST',
    path: '/v1/auth/register',
    query: {},
    status: 404,
    body: undefined as unknown,
    type: '',
    get: () => '',
    set: (name: string | Record<string, string>, value?: string) => {
      if (typeof name === 'string') headers[name.toLowerCase()] = value!;
    },
    response: { get: (name: string) => headers[name.toLowerCase()] ?? '' },
  };
  return ctx as typeof ctx & HttpContext;
}

describe('Idempotency', () => {
  const clock = { now: () => new Date('2026-06-01T00:00:00Z') };
  const settings = { ttlS: 86_400, leaseS: 300 };

  it('keeps a 4xx problem and replays it without running the handler again', async () => {
    const idempotency = new Idempotency(new InMemoryIdempotencyStore(), clock, settings);
    let runs = 0;
    const taken = async () => {
      runs++;
      throw new DomainError('USER.EMAIL_TAKEN', 'taken');
    };
    const error = await idempotency.run(aContext('t'), {}, taken).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(DomainError);
    const retry = aContext('t');
    await idempotency.run(retry, {}, taken);
    expect(runs).to.equal(1);
    expect(retry.status).to.equal(409);
    expect(retry.type).to.equal('application/problem+json');
    expect(retry.body).to.include({ code: 'USER.EMAIL_TAKEN', requestId: 'req-1' });
  });

  it('runs a handler once and replays its 201 to a retry', async () => {
    const idempotency = new Idempotency(new InMemoryIdempotencyStore(), clock, settings);
    let runs = 0;
    const handle = (ctx: HttpContext) => async () => {
      runs++;
      ctx.status = 201;
      ctx.set('Location', '/v1/users/1');
      ctx.body = { user: { id: '1' } };
    };
    const first = aContext('k');
    await idempotency.run(first, { a: 1 }, handle(first));
    const retry = aContext('k');
    await idempotency.run(retry, { a: 1 }, handle(retry));
    expect(runs).to.equal(1);
    expect([retry.status, retry.body, retry.response.get('Location')]).to.deep.equal([
      201,
      { user: { id: '1' } },
      '/v1/users/1',
    ]);
  });

  it('releases the key after a 5xx, a 408, a 429 or an unexpected error, so a retry runs again', async () => {
    const idempotency = new Idempotency(new InMemoryIdempotencyStore(), clock, settings);
    const errors = [
      new DomainError('DB.UNAVAILABLE', 'down'),
      new HttpProblem('REQUEST.BODY_TIMEOUT'),
      new DomainError('AUTH.THROTTLED', 'slow down'),
      new Error('unexpected'),
    ];
    for (const error of errors) {
      let runs = 0;
      const failing = async () => {
        runs++;
        throw error;
      };
      await idempotency.run(aContext(`key-${errors.indexOf(error)}`), {}, failing).catch(() => undefined);
      await idempotency.run(aContext(`key-${errors.indexOf(error)}`), {}, failing).catch(() => undefined);
      expect(runs, error.message).to.equal(2);
    }
  });
});
