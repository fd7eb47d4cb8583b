import { invalid } from '../errors.js';

const ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ONE_ID = new RegExp(`^${ID}$`);
const KEY = new RegExp(`^files/(${ID})/(${ID})$`);

/**
 * Where a file's bytes live: `files/{ownerId}/{fileId}`, built only from server-generated ids.
 * A client-supplied name can never become part of a key, so it can never become a path either.
 */
export class FileKey {
  private constructor(
    readonly ownerId: string,
    readonly fileId: string,
  ) {}

  static for(ownerId: string, fileId: string): FileKey {
    if (!ONE_ID.test(ownerId) || !ONE_ID.test(fileId)) {
      throw invalid('A file key is built from an owner id and a file id (lower-case UUIDs).');
    }
    return new FileKey(ownerId, fileId);
  }

  /** Reads a key back from storage (a signed link, a listing); anything else is refused. */
  static parse(value: string): FileKey {
    const match = KEY.exec(value);
    if (!match?.[1] || !match[2]) throw invalid('Not a file key.');
    return new FileKey(match[1], match[2]);
  }

  get value(): string {
    return `files/${this.ownerId}/${this.fileId}`;
  }

  toString(): string {
    return this.value;
  }
}
