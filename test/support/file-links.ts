import type { FileLinks } from '../../src/domain/ports/file-store.js';
import { bytesStream } from './file-bytes.js';

/** The token a link carries as its last path segment, as the app's link route hands it on. */
export const tokenOf = (url: string) => url.split('/').pop() ?? '';

/** A client PUTting `bytes` whole to a link, with their length, as the app's link route hands them on. */
export const putToLink = (links: FileLinks, url: string, bytes: Buffer, contentType?: string) =>
  links.serve(tokenOf(url), { method: 'PUT', body: bytesStream(bytes), contentType, contentLength: bytes.length });
