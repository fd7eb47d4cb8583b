import type { Clock } from '../../src/domain/ports/clock.js';

/** Real time, moved by a fixed offset: S3 servers check expiry against their own real clock. */
export class ShiftableClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  shift(offsetMs: number): void {
    this.offsetMs = offsetMs;
  }
}
