import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError, storeUnavailable } from '../../../domain/errors.js';
import { USERS_EMAIL_INDEX } from './mongo-user-schema.js';

// The driver's classes for "no server to talk to right now": none selectable, a socket that
// failed or timed out, a pool that was cleared, closed or had no free connection in time.
// Matched by name: `mongodb` does not export every class (WaitQueueTimeoutError), and the
// original error survives as `cause` (see CausePreservingMongoDriver).
const UNAVAILABLE_NAMES = new Set([
  'MongoServerSelectionError', 'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoPoolClearedError',
  'PoolClearedOnNetworkError', 'MongoPoolClosedError', 'MongoWaitQueueTimeoutError', 'MongoTopologyClosedError',
  'MongoNotConnectedError', 'MongoClientClosedError', 'MongoServerClosedError', 'MongoOperationTimeoutError',
]);
// Server codes for "not accepting work here now" (the driver's retryable set): a stepped-down or
// recovering primary, a node shutting down, a network failure between members.
const UNAVAILABLE_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10058, 10107, 11600, 11602, 13435, 13436]);

const DUPLICATE_KEY = 11000;

function chain(error: Error): Error[] {
  const errors = [error];
  for (let e: unknown = error.cause; e instanceof Error && errors.length < 4; e = e.cause) errors.push(e);
  return errors;
}

const isUnavailable = (error: Error) =>
  chain(error).some((e) => UNAVAILABLE_NAMES.has(e.name) || ('code' in e && UNAVAILABLE_CODES.has(Number(e.code))));

/** A duplicate key on the email index; one on `_id` (the same user twice) is not an email clash. */
function isEmailClash(error: Error): boolean {
  const duplicate = error instanceof UniqueConstraintViolationException || ('code' in error && error.code === DUPLICATE_KEY);
  if (!duplicate) return false;
  const keyPattern = 'keyPattern' in error ? (error.keyPattern as Record<string, unknown> | undefined) : undefined;
  return keyPattern ? 'email' in keyPattern : error.message.includes(`index: ${USERS_EMAIL_INDEX}`);
}

/** Puts a driver error into the port's vocabulary; anything unrecognised comes back as it was. */
export function toMongoStoreError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof DomainError) return error;
  if (isEmailClash(error)) return new DomainError('USER.EMAIL_TAKEN', 'That email is already registered.');
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
