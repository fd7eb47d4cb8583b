import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { OpaqueTokens } from '../../domain/ports/opaque-tokens.js';

const PREFIX = 'rt_';

/**
 * Refresh tokens: 256 random bits, prefixed so they are never mistaken for a JWT. The successor is
 * an HMAC of the token under a server key, so it cannot be derived without that key.
 */
export class HmacOpaqueTokens implements OpaqueTokens {
  constructor(private readonly key: Buffer) {}

  create(prefix = PREFIX): string {
    return prefix + randomBytes(32).toString('base64url');
  }

  successor(token: string): string {
    return PREFIX + createHmac('sha256', this.key).update(token).digest('base64url');
  }

  digest(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}
