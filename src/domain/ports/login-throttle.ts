export interface LoginAttempt {
  /** The normalized email, whether or not such an account exists. */
  account: string;
  /** The client's address. */
  client: string;
}

/**
 * Limits login attempts per account and per client. Every attempt is paid for before its password
 * is checked, so attempts sent at once cannot all be checked against the same count; a right
 * password gets its attempt back, so only failures stay counted.
 */
export interface LoginThrottle {
  /**
   * Spends one attempt for the account and one for the client, atomically (also across processes
   * sharing the store). Throws AUTH.THROTTLED, with the wait, when either has none left.
   */
  consume(attempt: LoginAttempt): Promise<void>;
  /** The password was right: forgets the account's failures and gives the client its attempt back. */
  recordSuccess(attempt: LoginAttempt): Promise<void>;
}
