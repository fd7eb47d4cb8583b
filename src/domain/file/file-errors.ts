import { DomainError } from '../errors.js';

/** Errors every FileStore adapter throws, so callers never see a driver's own error type. */
export const fileNotFound = () => new DomainError('FILE.NOT_FOUND', 'No such file.');

export const fileTooLarge = (limitBytes: number) =>
  new DomainError('FILE.TOO_LARGE', `The file is larger than the limit of ${limitBytes} bytes.`);

export const uploadIncomplete = (message: string) => new DomainError('FILE.UPLOAD_INCOMPLETE', message);

export const rangeNotSatisfiable = () =>
  new DomainError('FILE.RANGE_NOT_SATISFIABLE', 'The requested range is outside the file.');

/** One message for tampered, expired and misused links: the caller learns nothing about which. */
export const fileLinkInvalid = () =>
  new DomainError('FILE.LINK_INVALID', 'The link is invalid or has expired.');

export const fileFeatureUnsupported = (feature: string) =>
  new DomainError('FILE.UNSUPPORTED', `The file store does not support ${feature}.`);

export const fileStoreUnavailable = () =>
  new DomainError('FILE.STORE_UNAVAILABLE', 'The file store is unavailable; try again shortly.', undefined, 5);
