import { DomainError, storeUnavailable } from '../../../domain/errors.js';

// The driver's classes for "no server to talk to right now": none selectable, a socket that
// failed or timed out, a pool that was cleared, closed or had no free connection in time.
// Matched by name: `mongodb` does not export every class (WaitQueueTimeoutError), and the
// original error survives as `cause` (see CausePreservingMongoDriver).
const UNAVAILABLE_NAMES = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoPoolClosedError',
  'MongoWaitQueueTimeoutError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'MongoClientClosedError',
  'MongoServerClosedError',
  'MongoOperationTimeoutError',
]);
// Server codes for "not accepting work here now" (the driver's retryable set): a stepped-down or
// recovering primary, a node shutting down, a network failure between members.
const UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10058, 10107, 11600, 11602, 13435, 13436]);

// DuplicateKey, and the code older MongoDB servers used for one met by an update.
const DUPLICATE_KEY_CODES = new Set([11000, 11001]);
// MongoDB: "E11000 duplicate key error collection: db.users index: users_email_unique dup key: { ... }".
const MONGODB_INDEX = /\bindex: (\S+)/;
// FerretDB v1 (SQLite handler) answers a unique index an *update* breaks with InternalError (code 1)
// quoting SQLite: "UNIQUE constraint failed: index 'users_5e7cc513_users_email_unique' (2067)";
// the SQLite index is the MongoDB one prefixed with FerretDB's table name.
const INTERNAL_ERROR = 1;
const SQLITE_UNIQUE = /UNIQUE constraint failed: index '([^']+)'/;

function chain(error: Error): Error[] {
  const errors = [error];
  for (let e: unknown = error.cause; e instanceof Error && errors.length < 4; e = e.cause) errors.push(e);
  return errors;
}

const isUnavailable = (error: Error) =>
  chain(error).some((e) => UNAVAILABLE_NAMES.has(e.name) || ('code' in e && UNAVAILABLE_CODES.has(Number(e.code))));

/**
 * What a server said about a duplicate key. MongoDB names the index in the message and its fields
 * in `keyPattern`; FerretDB names the index only for an update, and neither for an insert.
 */
export interface DuplicateKey {
  index?: string;
  fields?: string[];
}

interface Reported {
  code?: unknown;
  message?: unknown;
  errmsg?: unknown;
  keyPattern?: unknown;
}

/** Where a write error may sit: the error, its causes, and a bulk write's per-document errors. */
function reports(error: Error): Reported[] {
  return chain(error).flatMap((e): Reported[] => {
    const writeErrors: unknown = 'writeErrors' in e ? e.writeErrors : undefined;
    const perDocument = Array.isArray(writeErrors)
      ? writeErrors.map((w: { err?: Reported } & Reported) => w.err ?? w)
      : [];
    return [e as Reported, ...perDocument];
  });
}

/** The duplicate key this error reports, in any of the shapes MongoDB and FerretDB send; undefined if none. */
export function duplicateKeyIn(error: unknown): DuplicateKey | undefined {
  if (!(error instanceof Error)) return undefined;
  for (const r of reports(error)) {
    const text = String(r.errmsg ?? r.message ?? '');
    const sqlite = Number(r.code) === INTERNAL_ERROR ? SQLITE_UNIQUE.exec(text) : null;
    if (!sqlite && !DUPLICATE_KEY_CODES.has(Number(r.code))) continue;
    const fields = r.keyPattern !== null && typeof r.keyPattern === 'object' ? Object.keys(r.keyPattern) : undefined;
    return { index: MONGODB_INDEX.exec(text)?.[1] ?? sqlite?.[1], fields };
  }
  return undefined;
}

/** Whether a duplicate key names the index `name` (FerretDB's SQLite prefixes it) or one on `field`. */
export function isOnIndex(duplicate: DuplicateKey, name: string, field: string): boolean {
  if (duplicate.fields) return duplicate.fields.includes(field);
  return duplicate.index === name || (duplicate.index?.endsWith(`_${name}`) ?? false);
}

export const isUnnamed = (duplicate: DuplicateKey) => duplicate.index === undefined && duplicate.fields === undefined;

/**
 * Puts a driver error into the port's vocabulary; anything unrecognised comes back as it was.
 * Duplicate keys are the stores' to read: only they know which indexes a collection has.
 */
export function toMongoStoreError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof DomainError) return error;
  // The cause keeps the driver's detail for the log; the HTTP answer shows only the code.
  if (isUnavailable(error)) return Object.assign(storeUnavailable(), { cause: error });
  return error;
}

export async function translateMongoError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toMongoStoreError(error);
  }
}
