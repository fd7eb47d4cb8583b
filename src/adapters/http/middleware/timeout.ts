import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { HttpContext, HttpState } from '../context.js';
import { HttpProblem } from '../problem.js';
import { hasBody } from './body.js';
import { redact } from '../../../shared/redact.js';

// Made only for work that asks (signalOf): an AbortSignal per request would cost more than the rest of a small one.
const controllers = new WeakMap<HttpContext, AbortController>();

/**
 * An AbortSignal that aborts when the request is abandoned: hand it to work that can be
 * cancelled (an HTTP call, an upload) so it stops with the request.
 */
export function signalOf(ctx: HttpContext): AbortSignal {
  let controller = controllers.get(ctx);
  if (!controller) {
    controller = new AbortController();
    if (ctx.state.abandoned) controller.abort(ctx.state.abandoned);
    controllers.set(ctx, controller);
  }
  return controller.signal;
}

/**
 * A request still unanswered `ms` after its body arrived gets 503 REQUEST.TIMEOUT (the error
 * middleware outside this one answers it). Its work cannot be killed, so it is abandoned:
 * `ctx.state.abandoned` is set (and `signalOf(ctx)` aborts), routes check it before their handler
 * runs, and once the answer is sent Koa ignores whatever the late work writes to ctx. With a body,
 * the clock starts once the body has arrived, so a slow or large upload is bounded by the server's
 * socket timeouts, not by this.
 */
export const requestTimeout =
  (ms: number, logger: Logger): Middleware<HttpState> =>
  async (ctx, next) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      const start = () => {
        if (settled) return;
        timer = setTimeout(() => {
          const problem = new HttpProblem('REQUEST.TIMEOUT');
          ctx.state.abandoned = problem;
          controllers.get(ctx)?.abort(problem);
          reject(problem);
        }, ms);
      };
      // 'end' only comes once someone reads the body; a request without one would never start the clock.
      if (!hasBody(ctx) || ctx.req.complete) start();
      else ctx.req.once('end', start);
    });
    const work = next();
    try {
      await Promise.race([work, expired]);
    } catch (error) {
      if (ctx.state.abandoned) followAbandoned(work, ctx.state.abandoned, ctx.state.requestId, logger);
      throw error;
    } finally {
      settled = true;
      clearTimeout(timer);
    }
  };

/** The late outcome goes to the log only; `stopped` means a route saw `abandoned` and did not run its handler. */
function followAbandoned(work: Promise<unknown>, reason: Error, requestId: string, logger: Logger): void {
  work.then(
    () => logger.info({ requestId, outcome: 'completed' }, 'abandoned request settled'),
    (error: unknown) =>
      error === reason
        ? logger.info({ requestId, outcome: 'stopped' }, 'abandoned request settled')
        : logger.info({ requestId, outcome: 'failed', err: redact(error) }, 'abandoned request settled'),
  );
}
