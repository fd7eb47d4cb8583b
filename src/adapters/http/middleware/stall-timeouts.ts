import type { Middleware } from 'koa';
import type { HttpState } from '../context.js';
import { HttpProblem, problemOf } from '../problem.js';
import { hasBody } from './body.js';
import { problemDocument } from './errors.js';

/**
 * Calls `onStall` once `progress()` has not moved for `ms`, not counting the time `heldBack()`
 * says the app itself is what holds the bytes up (backpressure: a slow store, a slow producer).
 * Returns the function that stops watching.
 */
export function watchProgress(
  progress: () => number,
  heldBack: () => boolean,
  ms: number,
  onStall: () => void,
): () => void {
  let last = progress();
  let since = Date.now();
  const timer = setInterval(
    () => {
      const now = Date.now();
      const current = progress();
      if (current !== last || heldBack()) {
        last = current;
        since = now;
      } else if (now - since >= ms) {
        clearInterval(timer);
        onStall();
      }
    },
    Math.max(10, Math.min(1_000, Math.floor(ms / 4))),
  );
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Slow is fine, stopped is not. A request body from which no byte arrives for `ms` (while the app is
 * ready to read it) is answered 408 REQUEST.BODY_TIMEOUT on a closing connection, and the request is
 * destroyed, so whoever reads it (the JSON parser, an upload) fails and keeps nothing. A streamed
 * response the client stops reading for `ms` has its connection cut, releasing what fed it. A 5 GiB
 * upload at any steady rate never trips either. Idle connections and slow request heads are
 * bounded by the server's headersTimeout; a handler's own time by REQUEST_TIMEOUT_MS.
 */
export const stallTimeouts =
  (ms: number): Middleware<HttpState> =>
  (ctx, next) => {
    const { req, res } = ctx;
    const socket = req.socket;
    if (hasBody(ctx) && !req.complete) {
      const stop = watchProgress(
        () => socket.bytesRead,
        () => req.complete || req.isPaused() || req.readableLength >= req.readableHighWaterMark,
        ms,
        () => {
          if (req.complete) return;
          const problem = new HttpProblem('REQUEST.BODY_TIMEOUT');
          if (res.headersSent) {
            req.destroy(problem);
            return;
          }
          ctx.state.problemCode = problem.code;
          res.statusCode = 408;
          res.setHeader('Content-Type', 'application/problem+json');
          res.setHeader('Cache-Control', 'no-store');
          res.setHeader('Connection', 'close');
          res.end(JSON.stringify(problemDocument(ctx, problemOf(problem))), () => req.destroy(problem));
        },
      );
      req.once('end', stop);
      res.once('close', stop);
    }
    res.once('pipe', () => {
      const stop = watchProgress(
        () => socket.bytesWritten,
        () => socket.writableLength === 0 && res.writableLength === 0,
        ms,
        () => socket.destroy(),
      );
      res.once('close', stop);
    });
    return next();
  };
