import type { ProvenIdentity } from '../oidc/identity.js';

/** The secrets of one authorization request, kept by the relying party until the provider answers. */
export interface AuthorizationChecks {
  state: string;
  nonce: string;
  /** PKCE (S256): only its challenge went to the provider. */
  codeVerifier: string;
}

/**
 * The configured OpenID providers, by name. Each throws DomainError AUTH.OIDC_PROVIDER_UNKNOWN for
 * a name not configured, AUTH.OIDC_PROVIDER_UNAVAILABLE when the provider cannot be reached.
 */
export interface OidcProviders {
  /** Where to send the browser (authorization code flow with PKCE, state and nonce). */
  authorizationUrl(provider: string, checks: AuthorizationChecks): Promise<string>;
  /** A fresh set of checks for one request. */
  newChecks(): AuthorizationChecks;
  /**
   * Redeems the code in the provider's answer (`callbackUrl`, the whole URL it redirected to) and
   * validates the ID token: signature from the provider's key set, issuer, audience, expiry, nonce.
   * Throws AUTH.OIDC_DENIED for an error answer, AUTH.OIDC_INVALID when a check fails.
   */
  complete(provider: string, callbackUrl: URL, checks: AuthorizationChecks): Promise<ProvenIdentity>;
}
