import { createHash } from 'node:crypto';
import bcrypt from 'bcrypt';
import type { PasswordHasher } from '../../domain/ports/password-hasher.js';

/**
 * bcrypt reads at most 72 bytes, so a longer password would be silently cut. Every password is
 * first reduced to a fixed 64-character digest (SHA-384, base64), so every character counts.
 * Hashing and comparing run on libuv's thread pool, off the event loop.
 */
export class BcryptPasswordHasher implements PasswordHasher {
  constructor(private readonly cost: number) {}

  hash(plain: string): Promise<string> {
    return bcrypt.hash(prehash(plain), this.cost);
  }

  verify(plain: string, hash: string): Promise<boolean> {
    return bcrypt.compare(prehash(plain), hash);
  }
}

const prehash = (plain: string) => createHash('sha384').update(plain, 'utf8').digest('base64');
