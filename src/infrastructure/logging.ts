import pino, { type DestinationStream, type Logger } from 'pino';

const SECRET_KEY = /^(authorization|cookie|set-cookie|x-api-key|.*password.*|.*passwordhash.*|refreshtoken|accesstoken|token|.*secret.*|.*_key|.*private.*)$/i;
export const REDACTED = '[redacted]';

/** Masks secret-looking keys at any depth; pino's own `redact` paths cannot express "anywhere". */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redactDeep(v, depth + 1)]),
  );
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    // pid tells the workers of a cluster apart.
    base: { service: 'portico', pid: process.pid },
    formatters: { log: (obj: Record<string, unknown>) => redactDeep(obj) as Record<string, unknown> },
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
  process.on('warning', (warning) => logger.warn({ warning: { name: warning.name, code: (warning as { code?: string }).code } }, warning.message));
  const die = (kind: string) => (error: unknown) => {
    logger.fatal({ err: error }, kind);
    process.exit(1);
  };
  process.on('uncaughtException', die('uncaught exception'));
  process.on('unhandledRejection', die('unhandled rejection'));
}
