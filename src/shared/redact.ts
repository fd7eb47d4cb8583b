import { stdSerializers } from 'pino';

// One list for every log line: the pino logger's own and the HTTP adapter's. It sits outside the
// layers because both use it and neither may import the other (adapters never import
// infrastructure; only the composition root imports adapters).

/**
 * Keys whose values never reach a log line, at any depth and in any letter case. `body` and
 * `rawbody` are here because body parsers hang the raw request text (passwords included) on
 * their errors.
 */
const SECRET_KEYS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'refreshtoken',
  'accesstoken',
  'token',
  'body',
  'rawbody',
]);
/** Any key naming a password (`passwordHash`, `newPassword`), a secret or a private value, or ending `_key`. */
const SECRET_PART = /password|secret|private|_key$/i;

export const REDACTED = '[redacted]';
const MAX_DEPTH = 8;

export const isSecretKey = (key: string): boolean => SECRET_KEYS.has(key.toLowerCase()) || SECRET_PART.test(key);

/**
 * A copy of `value` with secret-looking keys masked. Errors are serialized first (pino's `err`
 * shape), so what a driver hangs on one is masked too. Past MAX_DEPTH, and on a cycle, the rest
 * is left out rather than written unchecked.
 */
export function redact(value: unknown, depth = 0, ancestors = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[truncated]';
  if (ancestors.has(value)) return '[circular]';
  if (value instanceof Error) return redact(stdSerializers.err(value), depth, ancestors);
  ancestors.add(value);
  const copy = Array.isArray(value)
    ? value.map((item) => redact(item, depth + 1, ancestors))
    : redactEntries(value, depth, ancestors);
  ancestors.delete(value);
  return copy;
}

function redactEntries(value: object, depth: number, ancestors: WeakSet<object>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    copy[key] = isSecretKey(key) ? REDACTED : redact(item, depth + 1, ancestors);
  return copy;
}

/** `redact` for a log line's fields: a plain object in gives a plain object out. */
export const redactFields = (fields: Record<string, unknown>) => redact(fields) as Record<string, unknown>;
