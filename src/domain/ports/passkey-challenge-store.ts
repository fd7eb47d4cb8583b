import type { PasskeyChallenge } from '../passkey/passkey.js';

/** Where WebAuthn challenges wait for their answer. DB.UNAVAILABLE when the backend cannot be reached. */
export interface PasskeyChallengeStore {
  insert(challenge: PasskeyChallenge): Promise<void>;
  /**
   * Removes the challenge and answers it, expired or not (the caller checks): for exactly one of any
   * number of concurrent callers, across processes; null for the others and for an unknown id.
   */
  consume(id: string): Promise<PasskeyChallenge | null>;
  /** Removes challenges that expired before `now`; returns how many. */
  deleteExpired(now: Date): Promise<number>;
}
