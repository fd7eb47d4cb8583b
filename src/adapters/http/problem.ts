import { DomainError, type ErrorCode, type FieldProblem } from '../../domain/errors.js';

/** Problems that exist only at the HTTP edge: routing, media types, body size, the unknown. */
export type HttpCode =
  | 'ROUTE.NOT_FOUND'
  | 'REQUEST.METHOD_NOT_ALLOWED'
  | 'REQUEST.TOO_LARGE'
  | 'REQUEST.LENGTH_REQUIRED'
  | 'REQUEST.UNSUPPORTED_MEDIA_TYPE'
  | 'REQUEST.NOT_IMPLEMENTED'
  | 'REQUEST.TIMEOUT'
  | 'REQUEST.BODY_TIMEOUT'
  | 'PRECONDITION.REQUIRED'
  | 'IDEMPOTENCY.IN_FLIGHT'
  | 'IDEMPOTENCY.KEY_REUSED'
  | 'INTERNAL';
export type ProblemCode = ErrorCode | HttpCode;

interface ProblemKind {
  status: number;
  title: string;
  /** A fixed detail, for codes whose message could carry infrastructure text. */
  detail?: string;
  /** Seconds for `Retry-After` when the error does not say. */
  retryAfter?: number;
}

/** The one code -> status table. A `Record` so a new domain code fails the build until mapped. */
export const PROBLEMS: Record<ProblemCode, ProblemKind> = {
  'REQUEST.INVALID': { status: 400, title: 'Invalid request' },
  'FILE.UPLOAD_INCOMPLETE': { status: 400, title: 'Upload incomplete' },
  'AUTH.INVALID_CREDENTIALS': { status: 401, title: 'Invalid credentials' },
  'AUTH.UNAUTHENTICATED': { status: 401, title: 'Authentication required' },
  'AUTH.INVALID_REFRESH_TOKEN': { status: 401, title: 'Invalid refresh token' },
  'AUTH.TOKEN_INVALID': { status: 400, title: 'Invalid token' },
  'AUTH.EMAIL_UNVERIFIED': { status: 403, title: 'Email not verified' },
  'AUTH.ACCOUNT_DISABLED': { status: 403, title: 'Account disabled' },
  'AUTH.OIDC_PROVIDER_UNKNOWN': { status: 404, title: 'Unknown OpenID provider' },
  'AUTH.OIDC_PROVIDER_UNAVAILABLE': { status: 503, title: 'OpenID provider unavailable', retryAfter: 5 },
  'AUTH.OIDC_STATE_INVALID': { status: 400, title: 'Sign-in state invalid' },
  'AUTH.OIDC_DENIED': { status: 401, title: 'Provider sign-in refused' },
  'AUTH.OIDC_INVALID': { status: 401, title: 'Provider answer invalid' },
  'AUTH.OIDC_EMAIL_MISSING': { status: 403, title: 'Provider shared no email' },
  'AUTH.OIDC_LINK_REQUIRED': { status: 409, title: 'Account link required' },
  'AUTH.OIDC_ALREADY_LINKED': { status: 409, title: 'Already linked' },
  'AUTH.OIDC_NOT_LINKED': { status: 404, title: 'Not linked' },
  'AUTH.OIDC_LAST_SIGN_IN_METHOD': { status: 409, title: 'Last way to sign in' },
  'USER.NOT_DELETED': { status: 409, title: 'User not deleted' },
  'USER.RESTORE_EXPIRED': { status: 410, title: 'Restore window ended' },
  'AUTH.MFA_REQUIRED': { status: 401, title: 'Second factor required' },
  'AUTH.MFA_INVALID': { status: 401, title: 'Second factor refused' },
  'AUTH.MFA_CODE_INVALID': { status: 400, title: 'Invalid code' },
  'AUTH.MFA_ALREADY_ENABLED': { status: 409, title: 'Two-factor already enabled' },
  'AUTH.MFA_NOT_STARTED': { status: 409, title: 'No two-factor enrolment started' },
  'AUTH.MFA_NOT_ENABLED': { status: 409, title: 'Two-factor not enabled' },
  'AUTH.PASSKEY_INVALID': { status: 401, title: 'Passkey refused' },
  'AUTH.PASSKEY_REGISTRATION_INVALID': { status: 400, title: 'Passkey not verified' },
  'AUTH.PASSKEY_CHALLENGE_INVALID': { status: 400, title: 'Invalid challenge' },
  'AUTH.PASSKEY_EXISTS': { status: 409, title: 'Passkey already registered' },
  'AUTH.PASSKEY_NOT_FOUND': { status: 404, title: 'Not found' },
  'AUTH.PASSKEY_LAST_SIGN_IN': { status: 409, title: 'Last way to sign in' },
  'AUTH.FORBIDDEN': { status: 403, title: 'Forbidden' },
  'USER.WRONG_PASSWORD': { status: 403, title: 'Wrong password' },
  'FILE.LINK_INVALID': { status: 403, title: 'Link invalid' },
  'USER.NOT_FOUND': { status: 404, title: 'Not found' },
  'FILE.NOT_FOUND': { status: 404, title: 'Not found' },
  'ROUTE.NOT_FOUND': { status: 404, title: 'Not found', detail: 'No route matches this path.' },
  'REQUEST.METHOD_NOT_ALLOWED': {
    status: 405,
    title: 'Method not allowed',
    detail: 'The path does not support this method; see Allow.',
  },
  'REQUEST.BODY_TIMEOUT': {
    status: 408,
    title: 'Request timeout',
    detail: 'The request body stopped arriving; nothing of it was kept. Send the request again.',
  },
  'USER.EMAIL_TAKEN': { status: 409, title: 'Email taken' },
  'IDEMPOTENCY.IN_FLIGHT': {
    status: 409,
    title: 'Request in progress',
    detail: 'A request with this Idempotency-Key is still running; retry once it has been answered.',
  },
  'FILE.GONE': { status: 410, title: 'Gone' },
  'REQUEST.LENGTH_REQUIRED': {
    status: 411,
    title: 'Length required',
    detail: 'Send the body with Content-Length or chunked Transfer-Encoding.',
  },
  'PRECONDITION.FAILED': {
    status: 412,
    title: 'Precondition failed',
    detail: 'If-Match names no current version of the resource; nothing was changed. Read it again and retry.',
  },
  'REQUEST.TOO_LARGE': { status: 413, title: 'Payload too large', detail: 'The request body is over the size limit.' },
  'FILE.TOO_LARGE': { status: 413, title: 'File too large' },
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': { status: 415, title: 'Unsupported media type' },
  'FILE.RANGE_NOT_SATISFIABLE': { status: 416, title: 'Range not satisfiable' },
  'IDEMPOTENCY.KEY_REUSED': {
    status: 422,
    title: 'Idempotency key reused',
    detail: 'This Idempotency-Key was used for a different request; use a new key for a new request.',
  },
  'PRECONDITION.REQUIRED': {
    status: 428,
    title: 'Precondition required',
    detail: 'Send If-Match with the ETag of the version this change is based on (or *).',
  },
  'AUTH.THROTTLED': { status: 429, title: 'Too many requests', retryAfter: 60 },
  INTERNAL: { status: 500, title: 'Internal error', detail: 'An unexpected error occurred.' },
  'REQUEST.NOT_IMPLEMENTED': {
    status: 501,
    title: 'Not implemented',
    detail: 'The server does not support this method.',
  },
  'FILE.UNSUPPORTED': { status: 501, title: 'Not supported by this file store' },
  'DB.UNAVAILABLE': {
    status: 503,
    title: 'Service unavailable',
    detail: 'The data store is unavailable; try again shortly.',
    retryAfter: 5,
  },
  'FILE.STORE_UNAVAILABLE': {
    status: 503,
    title: 'Service unavailable',
    detail: 'The file store is unavailable; try again shortly.',
    retryAfter: 5,
  },
  'REQUEST.TIMEOUT': {
    status: 503,
    title: 'Service unavailable',
    detail: 'The request took too long and was abandoned; try again shortly.',
    retryAfter: 5,
  },
};

/** Thrown by the HTTP adapter itself; never by the core. */
export class HttpProblem extends Error {
  constructor(
    readonly code: HttpCode,
    message = PROBLEMS[code].detail ?? PROBLEMS[code].title,
  ) {
    super(message);
    this.name = 'HttpProblem';
  }
}

export interface Problem {
  code: ProblemCode;
  status: number;
  title: string;
  detail: string;
  errors?: FieldProblem[];
  retryAfter?: number;
  /** Extra members of the document, from the core's error (never from anything unexpected). */
  extensions?: Readonly<Record<string, string>>;
  /** False for anything we did not throw on purpose: log it whole, tell the client nothing. */
  expected: boolean;
}

export function problemOf(error: unknown): Problem {
  if (error instanceof DomainError || error instanceof HttpProblem) {
    const kind = PROBLEMS[error.code];
    const retryAfter = error instanceof DomainError ? (error.retryAfterSeconds ?? kind.retryAfter) : kind.retryAfter;
    const errors = error instanceof DomainError ? error.errors : undefined;
    const extensions = error instanceof DomainError ? error.extensions : undefined;
    return {
      code: error.code,
      status: kind.status,
      title: kind.title,
      detail: kind.detail ?? error.message,
      errors,
      retryAfter,
      ...(extensions ? { extensions } : {}),
      expected: true,
    };
  }
  const kind = PROBLEMS.INTERNAL;
  return {
    code: 'INTERNAL',
    status: kind.status,
    title: kind.title,
    detail: kind.detail ?? kind.title,
    expected: false,
  };
}

export const problemType = (code: ProblemCode) => `urn:portico:problem:${code}`;
