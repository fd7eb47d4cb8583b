/** RFC 6238 time-based one-time passwords (SHA-1, 6 digits, 30 s steps: what authenticator apps read). */
export interface Totp {
  /** A new random shared secret, base32 (as shown to the user and put in the URI). */
  generateSecret(): string;
  /** The `otpauth://totp/...` URI an authenticator app enrols from (usually shown as a QR code). */
  uri(input: { secret: string; account: string; issuer: string }): string;
  /**
   * The time step (`floor(unix seconds / period)`) whose code `code` is, allowing one step of clock
   * drift either way around `at`; null when it matches none of them.
   */
  matchStep(input: { code: string; secret: string; at: Date }): Promise<number | null>;
  /** Seconds per step. */
  readonly periodSeconds: number;
}
