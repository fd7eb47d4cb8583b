import { register } from 'node:module';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KoaInstrumentation, KoaLayerType } from '@opentelemetry/instrumentation-koa';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import type { TracingSettings } from './config.js';

export interface Tracing {
  /** pino's mixin: the trace and span of the line being written, if any. */
  logFields(): { traceId?: string; spanId?: string };
  /** Exports the spans still buffered; before the process exits. */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK. Must run before the instrumented modules are imported: main.ts
 * imports everything else after it. CommonJS packages (pg under knex, mongodb, the AWS SDK) are
 * patched on require; ESM imports (koa, ioredis, node:http from our own modules) through
 * import-in-the-middle's loader hook, which wraps only the modules an instrumentation asked for.
 */
export async function startTracing(settings: TracingSettings): Promise<Tracing> {
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => isProbe(req.url) }),
      // One span per route, not one per middleware of the chain (eight of them, on every request).
      new KoaInstrumentation({ ignoreLayersType: [KoaLayerType.MIDDLEWARE] }),
      new PgInstrumentation(),
      new MongoDBInstrumentation(),
      new IORedisInstrumentation(),
      new AwsInstrumentation({ suppressInternalInstrumentation: true }),
    ],
    // Traces only: metrics stay on GET /metrics (prom-client) and logs on stdout, with the trace id.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  await waitForAllMessagesAcknowledged();
  return { logFields, shutdown: () => flushWithin(sdk, SHUTDOWN_FLUSH_MS) };
}

/** Probes and scrapes come every few seconds from every balancer and Prometheus: they are not traffic. */
const isProbe = (url = '') => /^\/(health\/(live|ready)|metrics)(\?|$)/.test(url);

/** A collector that is down must not hold the graceful stop (the exporter would wait 10 s per batch). */
const SHUTDOWN_FLUSH_MS = 3_000;

async function flushWithin(sdk: NodeSDK, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  // Spans that cannot be exported are lost either way; that is no reason to fail the shutdown.
  await Promise.race([sdk.shutdown().catch(() => undefined), late]);
  clearTimeout(timer);
}

// pino merges the line's own fields into what this returns: a new object every time.
function logFields(): { traceId?: string; spanId?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !isSpanContextValid(context)) return {};
  return { traceId: context.traceId, spanId: context.spanId };
}
