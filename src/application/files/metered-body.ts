import type { Readable } from 'node:stream';
import { ContentMeter, type MeterLimits } from '../../domain/file/content-meter.js';
import { uploadIncomplete } from '../../domain/file/file-errors.js';

/**
 * Passes `body` through a ContentMeter. The body is piped, not pipelined: a meter that fails (too
 * large) must not destroy the body, so the HTTP layer can still answer the client on its socket.
 * A body that fails or stops early (the client went away) fails the meter, so the store discards;
 * so does one already gone when this is called, whose 'close' nobody will see again.
 *
 * Call it before anything is awaited, so a hang-up at any later point is seen. The meter may
 * fail before a store reads it: its error is kept in `meter.errored` rather than left unhandled.
 */
export function meterBody(body: Readable, limits: MeterLimits): ContentMeter {
  const meter = new ContentMeter(limits);
  meter.on('error', () => undefined);
  // A client that goes away is an unfinished upload, not a server fault worth a 500 in the log.
  const cutShort = () => meter.destroy(uploadIncomplete('The body ended before all of it arrived.'));
  body.once('error', cutShort);
  body.once('close', () => {
    if (!body.readableEnded) cutShort();
  });
  if (body.destroyed && !body.readableEnded) cutShort();
  else body.pipe(meter);
  return meter;
}
