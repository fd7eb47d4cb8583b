import { z } from 'zod';
import { bool } from './helpers.js';

/**
 * OpenTelemetry's own variables. The SDK reads every OTEL_* itself (sampler, protocol, headers,
 * batch delays ...); these are the ones Portico looks at, to decide whether to load it at all.
 */
export const tracingFields = {
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_SDK_DISABLED: bool.default(false),
  OTEL_SERVICE_NAME: z.string().min(1).default('portico'),
};
export type TracingValues = z.output<z.ZodObject<typeof tracingFields>>;

/** `config.tracing`: on only when an OTLP endpoint is given; off, no OpenTelemetry SDK module is loaded. */
export const tracing = (v: TracingValues) => ({
  enabled:
    !v.OTEL_SDK_DISABLED && (v.OTEL_EXPORTER_OTLP_ENDPOINT ?? v.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) !== undefined,
  serviceName: v.OTEL_SERVICE_NAME,
});
export type TracingSettings = ReturnType<typeof tracing>;
