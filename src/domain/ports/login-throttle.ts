export interface LoginAttempt {
  /** The normalized email, whether or not such an account exists. */
  account: string;
  /** The client's address. */
  client: string;
}

/** Limits failed logins per account and per client. `assertAllowed` throws AUTH.THROTTLED. */
export interface LoginThrottle {
  assertAllowed(attempt: LoginAttempt): Promise<void>;
  recordFailure(attempt: LoginAttempt): Promise<void>;
  recordSuccess(attempt: LoginAttempt): Promise<void>;
}
