import { createHash } from 'node:crypto';
import { invalid } from '../../domain/errors.js';

/** Visible ASCII (0x21-0x7E), 1 to 255 characters. */
const KEY = /^[\x21-\x7e]{1,255}$/;
/** An RFC 8941 sf-string, as the draft writes the header (`"8e03978e-..."`); a bare token is taken too. */
const QUOTED = /^"((?:[^"\\]|\\["\\])*)"$/;

const malformed = () =>
  invalid('The Idempotency-Key header is not valid.', [
    { path: 'Idempotency-Key', message: 'visible ASCII, 1 to 255 characters' },
  ]);

/** The client's key from the header value; undefined when the header is absent; REQUEST.INVALID when malformed. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header)) throw malformed();
  const quoted = QUOTED.exec(header);
  const key = quoted ? quoted[1]!.replace(/\\(["\\])/g, '$1') : header;
  if (!KEY.test(key)) throw malformed();
  return key;
}

/** JSON with object keys in sorted order at every depth, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What a request asks, as a digest: its method, path, query and body (or, for raw bytes, what describes them). */
export const fingerprintOf = (request: { method: string; path: string; query: unknown; body: unknown }) =>
  sha256(canonicalJson(request));

/** The stored key: the caller and the client's key together, so keys are per caller, and never kept in clear. */
export const storedKeyOf = (caller: string, key: string) => sha256(`${caller}\n${key}`);
