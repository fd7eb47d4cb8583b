import { createHmac, timingSafeEqual } from 'node:crypto';
import { fileLinkInvalid } from '../../../domain/file/file-errors.js';

/** What a link allows; `exp` is in seconds since the epoch. */
export type LinkClaims =
  | { op: 'get'; key: string; exp: number; versionId?: string; disposition?: string }
  | { op: 'put'; key: string; exp: number; contentType: string; contentLength: number }
  | { op: 'part'; key: string; exp: number; uploadId: string; partNumber: number; size: number };

// The label keeps these MACs distinct from anything else the same secret might sign.
const mac = (secret: Buffer, payload: string) =>
  createHmac('sha256', secret).update(`portico-file-link.${payload}`).digest('base64url');

export function signLink(secret: Buffer, claims: LinkClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/**
 * Checks a token made by `signLink` and returns what it allows. Throws FILE.LINK_INVALID when it
 * was tampered with, signed under another secret, or has expired at `now`.
 */
export function verifyLocalLink(secret: Buffer, token: string, now: Date): LinkClaims {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) throw fileLinkInvalid();
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw fileLinkInvalid();
  // Only this module can produce a payload that carries a valid MAC, so its shape is known.
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LinkClaims;
  if (claims.exp * 1000 <= now.getTime()) throw fileLinkInvalid();
  return claims;
}
