import { stdSerializers } from 'pino';

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
  'password',
  'currentpassword',
  'newpassword',
  'passwordhash',
  'refreshtoken',
  'accesstoken',
  'token',
  'body',
  'rawbody',
]);
export const REDACTED = '[redacted]';
const MAX_DEPTH = 8;

/**
 * A copy of `value` with secret-looking keys masked. The HTTP adapter does this itself rather
 * than trusting the logger it is given to be configured for it.
 */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[truncated]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) return redact(stdSerializers.err(value), depth, seen);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : redact(item, depth + 1, seen);
  }
  return copy;
}

/** `redact` for a log line's fields: a plain object in gives a plain object out. */
export const redactFields = (fields: Record<string, unknown>) => redact(fields) as Record<string, unknown>;
