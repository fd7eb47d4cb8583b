/**
 * Seals secrets the server must read back (TOTP shared secrets) for storage: authenticated
 * encryption, so a stored value that was altered fails to open instead of yielding another secret.
 */
export interface SecretCipher {
  seal(plain: string): string;
  /** Throws when the value was not sealed with a key this cipher holds, or was altered. */
  open(sealed: string): string;
}
