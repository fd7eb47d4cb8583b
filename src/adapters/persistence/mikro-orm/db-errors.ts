import { ConnectionException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError, invalid, storeUnavailable } from '../../../domain/errors.js';
import { emailTaken } from '../../../domain/user/user-errors.js';

// Socket-level failures (node) and SQLite's "not now". SQLITE_BUSY outlived its busy timeout;
// SQLITE_CANTOPEN lost its file.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
]);
// PostgreSQL SQLSTATEs for "not accepting work right now": 57014 statement_timeout, 57P01-57P03
// admin/crash shutdown and cannot-connect-now. Class 08 (connection exception) and class 53
// (insufficient resources: 53300 too many connections, 53100 disk full ...) are matched as classes.
const UNAVAILABLE_SQLSTATES = new Set(['57014', '57P01', '57P02', '57P03']);
// 08P01 protocol_violation is the exception in class 08: the server is up and answered, and what it
// could not parse was the statement we sent (a NUL byte in a value inlined into the SQL text).
const INPUT_SQLSTATES = new Set(['08P01']);
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
  // knex, for a query sent inside a transaction that a dropped connection has already ended.
  /Transaction query already complete/i,
];

const codeOf = (error: Error): string => ('code' in error && error.code != null ? String(error.code) : '');
const severityOf = (error: Error): string => ('severity' in error ? String(error.severity) : '');

/**
 * Class 22 (data exception: a value the column cannot hold) and class 23 (integrity) come from the
 * values sent, never from the database being down; they must not be read as an outage.
 */
const isInputCaused = (code: string) => code.startsWith('22') || code.startsWith('23') || INPUT_SQLSTATES.has(code);

/**
 * A FATAL protocol violation ends the session before any statement: the server, or a pooler in front
 * of it, refused the connection itself (PgBouncer: "unsupported startup parameter: statement_timeout"
 * when the app is not told it is behind one). A refusal; its message holds no values, so it is kept.
 */
const isStartupRefusal = (error: Error) => codeOf(error) === '08P01' && severityOf(error) === 'FATAL';
const startupRefusal = (error: Error) =>
  new DatabaseFailure(
    `the database endpoint refused the connection: ${error.message}` +
      (/startup parameter/.test(error.message) ? ' (behind a transaction pooler, set DB_POOLER=transaction)' : ''),
    { code: codeOf(error) },
  );

function isUnavailable(error: Error): boolean {
  const code = codeOf(error);
  if (isStartupRefusal(error)) return true;
  if (isInputCaused(code)) return false;
  if (error instanceof ConnectionException || error.name === 'KnexTimeoutError') return true;
  // 55000 object_not_in_prerequisite_state is also a statement-level error; only the FATAL one, the
  // server ending the session ("database is not currently accepting connections"), is a refusal.
  if (code === '55000') return severityOf(error) === 'FATAL';
  return (
    UNAVAILABLE_CODES.has(code) ||
    UNAVAILABLE_SQLSTATES.has(code) ||
    code.startsWith('08') ||
    code.startsWith('53') ||
    UNAVAILABLE_MESSAGES.some((re) => re.test(error.message)) ||
    // MikroORM's wrapper around a driver error that was itself a lost connection.
    (error.cause instanceof Error && error.cause !== error && isUnavailable(error.cause))
  );
}

/** Unique violations on the email column: pg names the constraint, SQLite names the column. */
function isEmailClash(error: Error): boolean {
  if (!(error instanceof UniqueConstraintViolationException)) return false;
  const constraint = 'constraint' in error ? String(error.constraint) : '';
  return constraint.includes('email') || /users\.email|\(email\)/i.test(error.message);
}

/**
 * A driver error with nothing of the statement: MikroORM puts the whole SQL, values inlined
 * (password hashes, emails), in the message, and pg adds `detail` ("Key (email)=(...)"). What is
 * kept: the driver's class, its code (SQLSTATE or SQLITE_*), the constraint and table names, and
 * the stack frames. Safe to log whole.
 */
export class DatabaseFailure extends Error {
  readonly code?: string;
  readonly constraint?: string;
  readonly table?: string;

  constructor(
    readonly driverError: string,
    fields: { code?: string; constraint?: string; table?: string },
  ) {
    super(`${driverError}${fields.code ? ` (${fields.code})` : ''}`);
    this.name = 'DatabaseFailure';
    if (fields.code) this.code = fields.code;
    if (fields.constraint) this.constraint = fields.constraint;
    if (fields.table) this.table = fields.table;
  }
}

const nameOf = (error: Error) =>
  error.constructor?.name && error.constructor.name !== 'Error' ? error.constructor.name : error.name;
const stringField = (error: Error, key: string): string | undefined => {
  const value = (error as unknown as Record<string, unknown>)[key];
  return typeof value === 'string' && value ? value : undefined;
};

/** `error` without its message, SQL, parameters or detail: see DatabaseFailure. */
export function withoutValues(error: Error): DatabaseFailure {
  if (error instanceof DatabaseFailure) return error;
  const failure = new DatabaseFailure(nameOf(error), {
    code: codeOf(error) || undefined,
    constraint: stringField(error, 'constraint'),
    table: stringField(error, 'table'),
  });
  // The original frames, without the first line(s): those are the message.
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  failure.stack = [`${failure.name}: ${failure.message}`, ...frames].join('\n');
  return failure;
}

/**
 * Puts a driver error into the port's vocabulary. Anything unrecognised comes back as a
 * DatabaseFailure: the same class name and code, none of the values.
 */
export function toStoreError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof DomainError) return error;
  if (isEmailClash(error)) return emailTaken();
  // The cause keeps the driver's class and code for the log; the HTTP answer shows only the code.
  if (isStartupRefusal(error)) return Object.assign(storeUnavailable(), { cause: startupRefusal(error) });
  if (isUnavailable(error)) return Object.assign(storeUnavailable(), { cause: withoutValues(error) });
  const code = codeOf(error);
  if (code.startsWith('22') || INPUT_SQLSTATES.has(code)) {
    return Object.assign(invalid('A value could not be stored as given.'), { cause: withoutValues(error) });
  }
  return withoutValues(error);
}

/** Runs one store operation and rethrows its failure translated. */
export async function translateDbError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toStoreError(error);
  }
}
