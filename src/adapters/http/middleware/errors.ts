import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { HttpContext, HttpState } from '../context.js';
import { HttpProblem, problemOf, problemType, type Problem } from '../problem.js';
import { redact } from '../../../shared/redact.js';
import { requestIdOf } from './request-id.js';

/** Statuses the router leaves without a body: they become problems like any other. */
const UNANSWERED: Record<number, 'ROUTE.NOT_FOUND' | 'REQUEST.METHOD_NOT_ALLOWED' | 'REQUEST.NOT_IMPLEMENTED'> = {
  404: 'ROUTE.NOT_FOUND',
  405: 'REQUEST.METHOD_NOT_ALLOWED',
  501: 'REQUEST.NOT_IMPLEMENTED',
};

function challengeHeaders(ctx: HttpContext, problem: Problem): Record<string, string> {
  const headers: Record<string, string> = { ...ctx.state.problemHeaders };
  if (problem.code === 'AUTH.UNAUTHENTICATED') {
    headers['WWW-Authenticate'] = ctx.state.bearerPresented ? 'Bearer error="invalid_token"' : 'Bearer';
  }
  if (problem.retryAfter !== undefined) headers['Retry-After'] = String(problem.retryAfter);
  return headers;
}

/**
 * The trace the answer belongs to. Only with tracing on (OTEL_EXPORTER_OTLP_ENDPOINT) is a span
 * ever active; off, the API's no-op context has none and the document has no `traceId`.
 */
function traceOf(): { traceId?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? { traceId: context.traceId } : {};
}

/** The problem+json document every error answer carries. */
export function problemDocument(ctx: HttpContext, problem: Problem) {
  return {
    // First, so no extension can stand in for a standard member.
    ...problem.extensions,
    type: problemType(problem.code),
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    requestId: requestIdOf(ctx),
    ...traceOf(),
    ...(problem.errors?.length ? { errors: problem.errors } : {}),
  };
}

function answer(ctx: HttpContext, problem: Problem): void {
  ctx.state.problemCode = problem.code;
  // A handler may have loosened caching before it failed; an error is never cacheable.
  ctx.set({ ...challengeHeaders(ctx, problem), 'Cache-Control': 'no-store' });
  ctx.status = problem.status;
  ctx.body = problemDocument(ctx, problem);
  ctx.type = 'application/problem+json';
}

/**
 * The one error middleware, first in the chain. Expected errors answer with their code; anything
 * else is logged whole and answers a generic 500 whose body says nothing about the cause.
 */
export const errorHandler =
  (logger: Logger): Middleware<HttpState> =>
  async (ctx, next) => {
    try {
      await next();
      const unanswered = UNANSWERED[ctx.status];
      if (unanswered && ctx.body == null) throw new HttpProblem(unanswered);
    } catch (error) {
      const problem = problemOf(error);
      if (!problem.expected || problem.status >= 500) {
        logger.error({ err: redact(error), requestId: requestIdOf(ctx), code: problem.code }, 'request failed');
      }
      if (ctx.headerSent || !ctx.writable) return;
      answer(ctx, problem);
    }
  };
