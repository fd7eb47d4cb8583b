import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/ports/clock.js';
import type { IdempotencyStore, IdempotentAnswer } from '../../domain/ports/idempotency-store.js';
import type { HttpContext } from './context.js';
import { fingerprintOf, parseIdempotencyKey, storedKeyOf } from './idempotency-key.js';
import { problemDocument } from './middleware/errors.js';
import { HttpProblem, problemOf } from './problem.js';

export interface IdempotencySettings {
  /** How long an answer is kept and replayed. */
  ttlS: number;
  /** How long a request may run before a retry may take its key over. */
  leaseS: number;
}

/**
 * 2xx and 4xx answers are kept; a 408 (the body stalled) and a 429 (throttled) are not, since the
 * request was not done and a retry should run it.
 */
const kept = (status: number) =>
  (status >= 200 && status < 300) || (status >= 400 && status < 500 && status !== 408 && status !== 429);
const isJson = (body: unknown) =>
  body === null || body === undefined || (typeof body === 'object' && !Buffer.isBuffer(body) && !('pipe' in body));

function replay(ctx: HttpContext, answer: IdempotentAnswer): void {
  ctx.status = answer.status;
  ctx.body = answer.body ?? null;
  if (answer.body !== undefined && answer.body !== null) ctx.type = answer.contentType;
  if (answer.location) ctx.set('Location', answer.location);
  if (answer.status >= 400) ctx.set('Cache-Control', 'no-store');
}

function answerOf(ctx: HttpContext): IdempotentAnswer {
  const location = ctx.response.get('Location');
  return { status: ctx.status, body: ctx.body ?? null, contentType: ctx.type, ...(location ? { location } : {}) };
}

/**
 * Idempotency-Key (IETF httpapi draft) for the routes marked `idempotent`: the request runs at most
 * once per key and caller; a retry of the same request gets the first answer again, another request
 * under the key 422, and one while the first runs 409. Only 2xx and 4xx answers are kept: after a
 * 5xx or an unexpected failure the key is released, so a retry runs again.
 */
export class Idempotency {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly clock: Clock,
    private readonly settings: IdempotencySettings,
  ) {}

  /** `body` is the parsed JSON body, or for raw bytes what describes them (never the bytes). */
  async run(ctx: HttpContext, body: unknown, handle: () => Promise<void> | void): Promise<void> {
    const clientKey = parseIdempotencyKey(ctx.req.headers['idempotency-key']);
    if (clientKey === undefined) return handle();
    const caller = ctx.state.actor ? `user:${ctx.state.actor.id}` : `ip:${ctx.ip}`;
    const key = storedKeyOf(caller, clientKey);
    const fingerprint = fingerprintOf({ method: ctx.method, path: ctx.path, query: ctx.query, body });
    const now = this.clock.now();
    const owner = randomUUID();
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    const claim = {
      key,
      fingerprint,
      owner,
      now,
      leaseUntil: at(this.settings.leaseS),
      expiresAt: at(this.settings.ttlS),
    };
    const beginning = await this.store.begin(claim);
    if (beginning.outcome !== 'started') {
      if (beginning.fingerprint !== fingerprint) throw new HttpProblem('IDEMPOTENCY.KEY_REUSED');
      if (beginning.outcome === 'running') throw new HttpProblem('IDEMPOTENCY.IN_FLIGHT');
      return replay(ctx, beginning.answer);
    }
    await this.runOnce(ctx, key, owner, handle);
  }

  private async runOnce(ctx: HttpContext, key: string, owner: string, handle: () => Promise<void> | void) {
    const keep = (answer: IdempotentAnswer) =>
      this.store.complete(key, owner, answer).catch(() => this.store.release(key, owner).catch(() => undefined));
    try {
      await handle();
    } catch (error) {
      const problem = problemOf(error);
      if (problem.expected && kept(problem.status)) {
        const body = problemDocument(ctx, problem);
        await keep({ status: problem.status, body, contentType: 'application/problem+json' });
      } else {
        await this.store.release(key, owner).catch(() => undefined);
      }
      throw error;
    }
    if (kept(ctx.status) && isJson(ctx.body)) await keep(answerOf(ctx));
    else await this.store.release(key, owner).catch(() => undefined);
  }
}
