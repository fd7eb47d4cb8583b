import type { IDToken, UserInfoResponse } from 'openid-client';
import { DomainError } from '../../domain/errors.js';
import type { ProvenIdentity } from '../../domain/oidc/identity.js';
import { oidcDenied, oidcInvalid, oidcProviderUnavailable } from '../../domain/oidc/oidc-errors.js';

const NETWORK_ERRORS = new Set(['TypeError', 'AbortError', 'TimeoutError']);

const statusOf = (error: { status?: unknown; cause?: unknown }): number | undefined => {
  if (typeof error.status === 'number') return error.status;
  const cause = error.cause as { status?: unknown } | undefined;
  return typeof cause?.status === 'number' ? cause.status : undefined;
};

/**
 * What a failed code exchange means for the person: the provider said no (its error answer), the
 * provider could not be reached or failed (5xx, a network error, a timeout, an answer that is not
 * OAuth), or its answer failed a check (state, PKCE, a code already redeemed, the ID token's
 * signature, issuer, audience, expiry or nonce).
 */
export function refusalOf(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (!(error instanceof Error)) return oidcInvalid();
  const { code } = error as { code?: unknown };
  if (code === 'OAUTH_AUTHORIZATION_RESPONSE_ERROR') return oidcDenied();
  const status = statusOf(error);
  if (status !== undefined && status >= 500) return oidcProviderUnavailable();
  if (code === 'OAUTH_RESPONSE_BODY_ERROR') return oidcInvalid();
  if (NETWORK_ERRORS.has(error.name) || code === 'OAUTH_RESPONSE_IS_NOT_JSON') return oidcProviderUnavailable();
  return oidcInvalid();
}

/**
 * The person, from validated ID token claims, or for the profile from the userinfo answer when the
 * ID token has no email (openid-client checks that its `sub` is the ID token's). `email_verified`
 * counts only when it is literally true.
 */
export function claimsOf(claims: IDToken | undefined, userInfo?: UserInfoResponse): ProvenIdentity {
  if (!claims) throw oidcInvalid();
  const profile: Record<string, unknown> = userInfo ?? claims;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);
  return {
    subject: claims.sub,
    email: text(profile.email)?.toLowerCase() ?? null,
    emailVerified: profile.email_verified === true,
    name: text(profile.name),
  };
}
