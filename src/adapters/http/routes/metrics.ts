import { createHash, timingSafeEqual } from 'node:crypto';
import { unauthenticated } from '../../../domain/errors.js';
import type { HttpMetrics } from '../middleware/metrics.js';
import type { Api } from '../route.js';

export interface MetricsRouteDeps {
  metrics: HttpMetrics;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string;
}

const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i;
const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Prometheus text for scrapers. Operational, not part of the v1 contract, so it is left out of the
 * OpenAPI document. Digests are compared so the time taken says nothing about the token.
 */
export function metricsRoutes(api: Api, deps: MetricsRouteDeps): void {
  const expected = deps.token === undefined ? undefined : digest(deps.token);
  api.router.get('/metrics', async (ctx) => {
    if (expected) {
      const presented = BEARER.exec(ctx.get('Authorization'))?.[1];
      ctx.state.bearerPresented = presented !== undefined;
      if (!presented || !timingSafeEqual(digest(presented), expected))
        throw unauthenticated('A valid metrics token is required.');
    }
    const { contentType, body } = await deps.metrics.render();
    ctx.type = contentType;
    ctx.body = body;
  });
}
