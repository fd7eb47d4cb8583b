import { ConnectionException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError, storeUnavailable } from '../../../domain/errors.js';

// Socket-level failures (node), and PostgreSQL SQLSTATEs for "not accepting work right now":
// class 08 (connection exception), 53300 too many connections, 57P01-57P03 shutdown/startup.
// 57014 is statement_timeout. SQLITE_BUSY outlived its busy timeout; SQLITE_CANTOPEN lost its file.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE',
  '53300', '57014', '57P01', '57P02', '57P03', 'SQLITE_BUSY', 'SQLITE_CANTOPEN',
]);
// MikroORM re-wraps driver errors as DriverException (copying `code`, overwriting `name`), so a
// knex pool timeout or a dropped pg socket is recognisable only by its message.
const UNAVAILABLE_MESSAGES = [
  /Timeout acquiring a connection/i,
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Query read timeout/i,
  /^timeout expired$/i,
  /Connection is not queryable|Client was closed and is not queryable/i,
];

function isUnavailable(error: Error): boolean {
  if (error instanceof ConnectionException || error.name === 'KnexTimeoutError') return true;
  const code = 'code' in error ? String(error.code) : '';
  return UNAVAILABLE_CODES.has(code) || code.startsWith('08') || UNAVAILABLE_MESSAGES.some((re) => re.test(error.message));
}

/** Unique violations on the email column: pg names the constraint, SQLite names the column. */
function isEmailClash(error: Error): boolean {
  if (!(error instanceof UniqueConstraintViolationException)) return false;
  const constraint = 'constraint' in error ? String(error.constraint) : '';
  return constraint.includes('email') || /users\.email|\(email\)/i.test(error.message);
}

/** Puts a driver error into the port's vocabulary; anything unrecognised comes back as it was. */
export function toStoreError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof DomainError) return error;
  if (isEmailClash(error)) return new DomainError('USER.EMAIL_TAKEN', 'That email is already registered.');
  // The cause keeps the driver's detail for the log; the HTTP answer shows only the code.
  if (isUnavailable(error)) return Object.assign(storeUnavailable(), { cause: error });
  return error;
}

/** Runs one store operation and rethrows its failure translated. */
export async function translateDbError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toStoreError(error);
  }
}
