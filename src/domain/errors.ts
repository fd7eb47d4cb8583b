export type ErrorCode =
  | 'REQUEST.INVALID'
  | 'AUTH.INVALID_CREDENTIALS'
  | 'AUTH.UNAUTHENTICATED'
  | 'AUTH.FORBIDDEN'
  | 'AUTH.THROTTLED'
  | 'AUTH.INVALID_REFRESH_TOKEN'
  | 'AUTH.TOKEN_INVALID'
  | 'AUTH.EMAIL_UNVERIFIED'
  | 'AUTH.MFA_REQUIRED'
  | 'AUTH.MFA_INVALID'
  | 'AUTH.MFA_CODE_INVALID'
  | 'AUTH.MFA_ALREADY_ENABLED'
  | 'AUTH.MFA_NOT_STARTED'
  | 'AUTH.MFA_NOT_ENABLED'
  | 'AUTH.PASSKEY_INVALID'
  | 'AUTH.PASSKEY_REGISTRATION_INVALID'
  | 'AUTH.PASSKEY_CHALLENGE_INVALID'
  | 'AUTH.PASSKEY_EXISTS'
  | 'AUTH.PASSKEY_NOT_FOUND'
  | 'AUTH.PASSKEY_LAST_SIGN_IN'
  | 'AUTH.ACCOUNT_DISABLED'
  | 'AUTH.OIDC_PROVIDER_UNKNOWN'
  | 'AUTH.OIDC_PROVIDER_UNAVAILABLE'
  | 'AUTH.OIDC_STATE_INVALID'
  | 'AUTH.OIDC_DENIED'
  | 'AUTH.OIDC_INVALID'
  | 'AUTH.OIDC_EMAIL_MISSING'
  | 'AUTH.OIDC_LINK_REQUIRED'
  | 'AUTH.OIDC_ALREADY_LINKED'
  | 'AUTH.OIDC_NOT_LINKED'
  | 'AUTH.OIDC_LAST_SIGN_IN_METHOD'
  | 'USER.EMAIL_TAKEN'
  | 'USER.NOT_FOUND'
  | 'USER.WRONG_PASSWORD'
  | 'USER.NOT_DELETED'
  | 'USER.RESTORE_EXPIRED'
  | 'DB.UNAVAILABLE'
  | 'FILE.NOT_FOUND'
  | 'FILE.GONE'
  | 'FILE.TOO_LARGE'
  | 'FILE.UPLOAD_INCOMPLETE'
  | 'FILE.RANGE_NOT_SATISFIABLE'
  | 'FILE.LINK_INVALID'
  | 'FILE.UNSUPPORTED'
  | 'FILE.STORE_UNAVAILABLE'
  | 'PRECONDITION.FAILED';

export interface FieldProblem {
  path: string;
  message: string;
}

/** The one error type the core throws; adapters map `code` to a transport status. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldProblem[],
    /** When the caller may usefully try again (throttling, a busy store). */
    readonly retryAfterSeconds?: number,
    /** Extra members of the problem document (RFC 9457 extensions), such as an MFA `challenge`. */
    readonly extensions?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (message: string, errors?: FieldProblem[]) =>
  new DomainError('REQUEST.INVALID', message, errors);
/** A list cursor the API did not issue (or that was altered): the same 400 from every store. */
export const invalidCursor = () =>
  invalid('The cursor is not valid.', [{ path: 'cursor', message: 'not a cursor this API issued' }]);
/**
 * @deprecated Use `userNotFound` from `user/user-errors.ts`; kept only until its last importers
 * (delete-user.ts, the MikroORM stores, mongo-file-catalog.ts, the users and auth routes) move over.
 */
export const notFound = () => new DomainError('USER.NOT_FOUND', 'No such user.');
export const storeUnavailable = () =>
  new DomainError('DB.UNAVAILABLE', 'The data store is unavailable; try again shortly.', undefined, 1);
export const unauthenticated = (message = 'The access token is missing, invalid or expired.') =>
  new DomainError('AUTH.UNAUTHENTICATED', message);
/** The actor is known but lacks the role; each aggregate's errors name the case. */
export const forbidden = (message: string) => new DomainError('AUTH.FORBIDDEN', message);
/** A conditional write (If-Match) found another version of the record: nothing was changed. */
export const preconditionFailed = () =>
  new DomainError('PRECONDITION.FAILED', 'The resource has changed since it was read; read it again and retry.');
