import type { AccessClaims } from '../../domain/ports/token-service.js';

/**
 * Access tokens already verified, so a client's next request skips the signature check (an ES256
 * verify costs more than the rest of a small request). Only a token that passed every check gets
 * in, and only until its own `exp`; signing keys are kept verifying at least that long after a
 * rotation (see KeyRing), so the cache never accepts a token the full check would refuse. Whether
 * the session and the user are still there is looked up on every request regardless.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { claims: AccessClaims; exp: number }>();

  constructor(private readonly capacity: number) {}

  get(token: string, now: number): AccessClaims | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.exp <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.claims;
  }

  set(token: string, claims: AccessClaims, exp: number): void {
    if (this.capacity <= 0) return;
    // Oldest first: Map keeps insertion order.
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { claims: Object.freeze({ ...claims }), exp });
  }
}
