import { DomainError } from '../../../domain/errors.js';
import {
  fileNotFound,
  fileStoreUnavailable,
  rangeNotSatisfiable,
  uploadIncomplete,
} from '../../../domain/file/file-errors.js';

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchVersion', 'NoSuchUpload']);
const INCOMPLETE = new Set(['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall']);
const BUSY = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'Throttling',
  'ThrottlingException',
  'RequestTimeout',
  'InternalError',
  'TimeoutError',
]);
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Turns what the SDK throws (after its own retries) into the port's errors. Anything not listed
 * (access denied, a missing bucket, a bad request) stays as it is: a configuration problem or a
 * bug, answered as a 500 and logged whole.
 */
export function mapS3Error(error: unknown): unknown {
  if (error instanceof DomainError || typeof error !== 'object' || error === null) return error;
  const { name = '', code = '', message = '', $metadata } = error as SdkError;
  const status = $metadata?.httpStatusCode ?? 0;
  if (NOT_FOUND.has(name) || (status === 404 && name !== 'NoSuchBucket')) return fileNotFound();
  // S3 answers a malformed version id (it came from the client) with a 400, not a 404.
  if (name === 'InvalidArgument' && /version id/i.test(message)) return fileNotFound();
  if (name === 'InvalidRange' || status === 416) return rangeNotSatisfiable();
  if (INCOMPLETE.has(name))
    return uploadIncomplete('The parts are missing, out of order, too small or have the wrong ETag.');
  if (BUSY.has(name) || status >= 500 || NETWORK.has(code)) return fileStoreUnavailable();
  return error;
}

export async function s3Call<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw mapS3Error(error);
  }
}
