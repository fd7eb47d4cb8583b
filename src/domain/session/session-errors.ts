import { DomainError } from '../errors.js';

/** One answer for an unknown email and a wrong password: the caller learns nothing about which. */
export const invalidCredentials = () => new DomainError('AUTH.INVALID_CREDENTIALS', 'Email or password is wrong.');

/** One answer for unknown, expired, revoked and replayed tokens alike. */
export const invalidRefreshToken = () =>
  new DomainError('AUTH.INVALID_REFRESH_TOKEN', 'The refresh token is invalid, expired or revoked.');

export const loginThrottled = (retryAfterSeconds: number) =>
  new DomainError('AUTH.THROTTLED', 'Too many failed logins; try again later.', undefined, retryAfterSeconds);

/** Only once the credentials checked out, so a guesser learns nothing from it. */
export const accountDisabled = () =>
  new DomainError('AUTH.ACCOUNT_DISABLED', 'This account is disabled; ask an administrator to re-enable it.');
