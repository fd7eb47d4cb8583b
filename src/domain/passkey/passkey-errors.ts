import { DomainError } from '../errors.js';

/**
 * One answer for every refused passkey sign-in: an unknown or removed credential, a bad signature, an
 * origin or RP ID that is not ours, a counter that went backwards, a user who is gone.
 */
export const passkeyInvalid = () =>
  new DomainError('AUTH.PASSKEY_INVALID', 'The passkey was not accepted; sign in another way or try another passkey.');

/** The registration response did not verify (origin, RP ID, attestation, or not a discoverable credential). */
export const passkeyRegistrationInvalid = (reason = 'The passkey could not be verified.') =>
  new DomainError('AUTH.PASSKEY_REGISTRATION_INVALID', reason, [{ path: 'response', message: 'not verified' }]);

/** Unknown, used, expired or someone else's challenge: ask for new options. */
export const passkeyChallengeInvalid = () =>
  new DomainError('AUTH.PASSKEY_CHALLENGE_INVALID', 'The challenge is unknown, used or expired; ask for new options.', [
    { path: 'response.response.clientDataJSON', message: 'not a live challenge' },
  ]);

export const passkeyExists = () => new DomainError('AUTH.PASSKEY_EXISTS', 'This authenticator is registered already.');

export const passkeyNotFound = () => new DomainError('AUTH.PASSKEY_NOT_FOUND', 'No such passkey.');

/** Removing it would leave the account with no way to sign in (no password, no linked identity). */
export const lastSignInMethod = () =>
  new DomainError(
    'AUTH.PASSKEY_LAST_SIGN_IN',
    'This is the last way to sign in to the account; add a password, another passkey or a linked identity first.',
  );
