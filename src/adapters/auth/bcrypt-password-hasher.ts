import { createHash } from 'node:crypto';
import bcrypt from 'bcrypt';
import type { PasswordHasher } from '../../domain/ports/password-hasher.js';

/**
 * bcrypt reads at most 72 bytes, so a longer password would be silently cut. Every password is
 * first reduced to a fixed 64-character digest (SHA-384, base64), so every character counts.
 *
 * Hashing and comparing run on libuv's thread pool, off the event loop. At most `concurrency` of
 * them are handed to it at once and the rest wait here, in order: a burst of logins must not fill
 * the pool's queue, or everything else that needs a pool thread (signing a token with WebCrypto,
 * file system calls, DNS lookups) would wait behind every queued hash.
 */
export class BcryptPasswordHasher implements PasswordHasher {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly cost: number,
    private readonly concurrency = Number.POSITIVE_INFINITY,
  ) {}

  hash(plain: string): Promise<string> {
    return this.inTurn(() => bcrypt.hash(prehash(plain), this.cost));
  }

  verify(plain: string, hash: string): Promise<boolean> {
    return this.inTurn(() => bcrypt.compare(prehash(plain), hash));
  }

  private async inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

const prehash = (plain: string) => createHash('sha384').update(plain, 'utf8').digest('base64');
