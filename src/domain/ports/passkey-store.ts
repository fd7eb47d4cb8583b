import type { Passkey } from '../passkey/passkey.js';

export interface PasskeyUse {
  /** The counter the use was checked against: the write happens only if it is still the stored one. */
  previousCounter: number;
  counter: number;
  usedAt: Date;
  backedUp: boolean;
}

/**
 * Where passkeys live. Every adapter throws DomainError DB.UNAVAILABLE when its backend cannot be
 * reached. A user's passkeys go with the user (ON DELETE CASCADE on SQL).
 */
export interface PasskeyStore {
  /** False, and nothing written, when a passkey with that credential id exists already (any user's). */
  insert(passkey: Passkey): Promise<boolean>;
  findById(id: string): Promise<Passkey | null>;
  /** The user's passkeys, oldest first. */
  listByUser(userId: string): Promise<Passkey[]>;
  /** How many passkeys the user has: other sign-in methods ask it before removing the last way in. */
  countByUser(userId: string): Promise<number>;
  /** Records a sign-in: false when the stored counter is no longer `previousCounter` (a concurrent use). */
  recordUse(id: string, use: PasskeyUse): Promise<boolean>;
  /** Removes the passkey if it is that user's; false when there was none. */
  delete(id: string, userId: string): Promise<boolean>;
}
