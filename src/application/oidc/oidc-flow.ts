import type { Clock } from '../../domain/ports/clock.js';
import type { AuthorizationChecks } from '../../domain/ports/oidc-providers.js';
import type { SecretCipher } from '../../domain/ports/secret-cipher.js';

/** One started sign-in: what the callback must check the provider's answer against, and where to go. */
export interface OidcFlow extends AuthorizationChecks {
  provider: string;
  returnTo: string;
  /** Set when a signed-in user started linking: the callback links instead of signing in. */
  linkUserId: string | null;
  expiresAt: number;
}

/** Inside the sealed text, so nothing else the cipher seals (a TOTP secret) can pass for a flow. */
const PURPOSE = 'oidc-flow:';

const isFlow = (value: unknown): value is OidcFlow => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const strings = ['provider', 'returnTo', 'state', 'nonce', 'codeVerifier'].every((k) => typeof v[k] === 'string');
  return strings && typeof v.expiresAt === 'number' && (v.linkUserId === null || typeof v.linkUserId === 'string');
};

/**
 * Seals a flow for the browser to hold (a cookie) and opens it at the callback: authenticated
 * encryption under the server's key, so the browser can neither read the PKCE verifier nor alter
 * any of it. Expired, altered and foreign values all open to null.
 */
export class OidcFlowSeal {
  constructor(
    private readonly cipher: SecretCipher,
    private readonly clock: Clock,
  ) {}

  seal(flow: Omit<OidcFlow, 'expiresAt'>, ttlSeconds: number): string {
    const expiresAt = this.clock.now().getTime() + ttlSeconds * 1000;
    return this.cipher.seal(PURPOSE + JSON.stringify({ ...flow, expiresAt }));
  }

  open(sealed: string | undefined): OidcFlow | null {
    if (!sealed) return null;
    let plain: string;
    try {
      plain = this.cipher.open(sealed);
    } catch {
      return null;
    }
    if (!plain.startsWith(PURPOSE)) return null;
    const flow: unknown = JSON.parse(plain.slice(PURPOSE.length));
    return isFlow(flow) && flow.expiresAt > this.clock.now().getTime() ? flow : null;
  }
}
