import type { Readable } from 'node:stream';
import { ContentMeter, type MeterLimits } from '../../domain/file/content-meter.js';
import { uploadIncomplete } from '../../domain/file/file-errors.js';

/**
 * Passes `body` through a ContentMeter. The body is piped, not pipelined: a meter that fails (too
 * large) must not destroy the body, so the HTTP layer can still answer the client on its socket.
 * A body that fails or stops early (the client went away) fails the meter, so the store discards.
 */
export function meterBody(body: Readable, limits: MeterLimits): ContentMeter {
  const meter = new ContentMeter(limits);
  // A client that goes away is an unfinished upload, not a server fault worth a 500 in the log.
  const cutShort = () => meter.destroy(uploadIncomplete('The body ended before all of it arrived.'));
  body.once('error', cutShort);
  body.once('close', () => {
    if (!body.readableEnded) cutShort();
  });
  body.pipe(meter);
  return meter;
}
