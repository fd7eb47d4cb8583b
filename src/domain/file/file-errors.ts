import { DomainError, forbidden } from '../errors.js';

/** Errors about files, from the use cases and every FileStore adapter (never a driver's own error type). */
export const fileNotFound = () => new DomainError('FILE.NOT_FOUND', 'No such file.');

/** Bytes can be read only once an upload has finished. */
export const fileNotReady = () =>
  new DomainError('FILE.NOT_FOUND', 'The file has no content yet: its upload has not been completed.');

/** The file's object was removed or expired outside the API; its versions may still be restored. */
export const fileGone = () =>
  new DomainError(
    'FILE.GONE',
    'The file was removed from the store outside the API. ' +
      'Its versions can still be listed and restored, or the file deleted.',
  );

/** The upload sub-resource exists only while the file is pending. */
export const noUploadInProgress = () => new DomainError('FILE.NOT_FOUND', 'No upload is in progress for this file.');

export const noPartsInSinglePut = () =>
  new DomainError('FILE.NOT_FOUND', 'This upload is a single PUT: it has no parts to list.');

export const othersFilesNeedAdmin = () => forbidden("Only an admin may list another user's files.");

export const fileTooLarge = (limitBytes: number) =>
  new DomainError('FILE.TOO_LARGE', `The file is larger than the limit of ${limitBytes} bytes.`);

export const uploadIncomplete = (message: string) => new DomainError('FILE.UPLOAD_INCOMPLETE', message);

export const rangeNotSatisfiable = () =>
  new DomainError('FILE.RANGE_NOT_SATISFIABLE', 'The requested range is outside the file.');

/** One message for tampered, expired and misused links: the caller learns nothing about which. */
export const fileLinkInvalid = () => new DomainError('FILE.LINK_INVALID', 'The link is invalid or has expired.');

export const fileFeatureUnsupported = (feature: string) =>
  new DomainError('FILE.UNSUPPORTED', `The file store does not support ${feature}.`);

export const fileStoreUnavailable = () =>
  new DomainError('FILE.STORE_UNAVAILABLE', 'The file store is unavailable; try again shortly.', undefined, 5);
