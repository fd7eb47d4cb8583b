import pino, { stdSerializers, type DestinationStream, type Logger } from 'pino';
import { redactFields } from '../shared/redact.js';

/**
 * `mixin` adds fields to every line; with tracing on it is the active span's ids, so every line a
 * request writes carries its trace id. Without it pino calls nothing more per line.
 */
export function createLogger(level: string, destination?: DestinationStream, mixin?: () => object): Logger {
  const options = {
    level,
    ...(mixin ? { mixin } : {}),
    // pid tells the workers of a cluster apart.
    base: { service: 'portico', pid: process.pid },
    // pino's `redact` paths cannot say "this key at any depth"; the formatter runs before the serializers.
    formatters: { log: redactFields },
    // The formatter has serialized errors already; pino's own serializer would retype them as `Object`.
    serializers: { err: (err: unknown) => (err instanceof Error ? stdSerializers.err(err) : err) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * What Node itself would print as plain text goes through `logger` instead, so every line the
 * process writes is one JSON record: process warnings (deprecations, listener leaks) instead of
 * Node's stderr lines, and an uncaught exception or unhandled rejection as a fatal record before
 * the process exits 1, as Node would.
 */
export function routeProcessOutput(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) =>
    logger.warn({ warning: { name: warning.name, code: (warning as { code?: string }).code } }, warning.message),
  );
  const die = (kind: string) => (error: unknown) => {
    logger.fatal({ err: error }, kind);
    process.exit(1);
  };
  process.on('uncaughtException', die('uncaught exception'));
  process.on('unhandledRejection', die('unhandled rejection'));
}
