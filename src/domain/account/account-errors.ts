import { DomainError } from '../errors.js';

/** One answer for unknown, used, expired, revoked and someone else's tokens alike. */
export const tokenInvalid = (path = 'token') =>
  new DomainError('AUTH.TOKEN_INVALID', 'The token is invalid, used or expired.', [
    { path, message: 'not a live token' },
  ]);

export const emailUnverified = () =>
  new DomainError('AUTH.EMAIL_UNVERIFIED', 'Verify your email address before signing in; the link was mailed to you.');

/** The password was right; the login is completed by POST /v1/auth/mfa/verify with this challenge. */
export const mfaRequired = (challenge: string) =>
  new DomainError(
    'AUTH.MFA_REQUIRED',
    'A second factor is required: send a code from the authenticator app (or a recovery code) with this challenge.',
    undefined,
    undefined,
    { challenge },
  );

/** One answer for an unknown or expired challenge and a wrong, used or replayed code. */
export const mfaInvalid = () =>
  new DomainError('AUTH.MFA_INVALID', 'The challenge or the code is wrong, used or expired.');

export const mfaCodeInvalid = (path = 'code') =>
  new DomainError('AUTH.MFA_CODE_INVALID', 'The code is wrong or was used already.', [
    { path, message: 'not a valid code' },
  ]);

export const mfaAlreadyEnabled = () =>
  new DomainError('AUTH.MFA_ALREADY_ENABLED', 'Two-factor sign-in is already on; turn it off first to enrol again.');

export const mfaNotStarted = () =>
  new DomainError('AUTH.MFA_NOT_STARTED', 'Start an enrolment (POST /v1/auth/mfa/totp) before confirming it.');

export const mfaNotEnabled = () => new DomainError('AUTH.MFA_NOT_ENABLED', 'Two-factor sign-in is not on.');

export const accountMailThrottled = (retryAfterSeconds: number) =>
  new DomainError(
    'AUTH.THROTTLED',
    'Too many requests for this address; try again later.',
    undefined,
    retryAfterSeconds,
  );
