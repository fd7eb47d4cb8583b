import { DomainError } from '../errors.js';

export const oidcProviderUnknown = () =>
  new DomainError('AUTH.OIDC_PROVIDER_UNKNOWN', 'No OpenID provider is configured under this name.');

/** Discovery, the token endpoint or the key set did not answer (or answered 5xx): worth trying again. */
export const oidcProviderUnavailable = () =>
  new DomainError(
    'AUTH.OIDC_PROVIDER_UNAVAILABLE',
    'The OpenID provider is unavailable; try again shortly.',
    undefined,
    5,
  );

/** No sign-in started in this browser, it expired, or the answer is for another one. */
export const oidcStateInvalid = () =>
  new DomainError(
    'AUTH.OIDC_STATE_INVALID',
    'The sign-in was not started here, expired or was already used; start again.',
  );

/** The provider answered with an error (the person declined, or the provider refused the request). */
export const oidcDenied = () => new DomainError('AUTH.OIDC_DENIED', 'The OpenID provider did not sign the person in.');

/** The code exchange or the ID token failed its checks (signature, issuer, audience, expiry, nonce, PKCE). */
export const oidcInvalid = () =>
  new DomainError('AUTH.OIDC_INVALID', 'The answer of the OpenID provider did not pass its checks.');

export const oidcEmailMissing = () =>
  new DomainError('AUTH.OIDC_EMAIL_MISSING', 'The OpenID provider did not share an email address.');

/** An account has this email, but it cannot be linked on the provider's word alone. */
export const oidcLinkRequired = () =>
  new DomainError(
    'AUTH.OIDC_LINK_REQUIRED',
    'An account with this email exists; sign in to it and link this provider from there.',
  );

export const oidcAlreadyLinked = () =>
  new DomainError(
    'AUTH.OIDC_ALREADY_LINKED',
    'This provider account is linked to another user, or this user has another account of the provider linked.',
  );

export const oidcNotLinked = () => new DomainError('AUTH.OIDC_NOT_LINKED', 'No account of this provider is linked.');

export const oidcLastSignInMethod = () =>
  new DomainError(
    'AUTH.OIDC_LAST_SIGN_IN_METHOD',
    'This is the last way to sign in to the account; set a password or link another first.',
  );
