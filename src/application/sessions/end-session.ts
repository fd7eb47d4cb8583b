import type { Clock } from '../../domain/ports/clock.js';
import type { OpaqueTokens } from '../../domain/ports/opaque-tokens.js';
import type { RefreshTokenStore } from '../../domain/ports/refresh-token-store.js';

/** Logout: the token's whole family is revoked. An unknown token is not an error (nothing to end). */
export class EndSession {
  constructor(
    private readonly store: RefreshTokenStore,
    private readonly opaque: OpaqueTokens,
    private readonly clock: Clock,
  ) {}

  async execute(input: { refreshToken: string }): Promise<void> {
    const record = await this.store.findByDigest(this.opaque.digest(input.refreshToken));
    if (record) await this.store.revokeFamily(record.familyId, this.clock.now());
  }
}
