import type { AccountToken, AccountTokenPurpose } from '../account/account-token.js';

/**
 * Where account tokens live (verification, reset and email-change links, MFA challenges, recovery
 * codes, used TOTP steps). Every adapter throws DomainError DB.UNAVAILABLE when its backend cannot
 * be reached.
 *
 * `insert` takes part in the caller's unit of work where the store has one (the SQL adapter writes
 * through the MikroORM transaction running in the caller's async context), so a token commits or
 * rolls back with the mail that carries it.
 */
export interface AccountTokenStore {
  /** False, and nothing written, when a token with the same digest exists already (expired or not). */
  insert(token: AccountToken): Promise<boolean>;
  findByDigest(digest: string): Promise<AccountToken | null>;
  /** Removes the token: true for exactly one of any number of concurrent callers, across processes. */
  consume(id: string): Promise<boolean>;
  /** Removes every token of the user with that purpose. */
  revokeAll(userId: string, purpose: AccountTokenPurpose): Promise<void>;
  /** Removes tokens that expired before `now`; returns how many. */
  deleteExpired(now: Date): Promise<number>;
}
