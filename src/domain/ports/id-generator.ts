/** Produces UUIDv7 strings: unique and ordered by creation time. */
export interface IdGenerator {
  next(): string;
}
