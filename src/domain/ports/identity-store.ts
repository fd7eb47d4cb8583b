import type { Identity } from '../oidc/identity.js';
import type { LinkedIdentities } from './linked-identities.js';

/**
 * Where linked provider accounts live. Every adapter throws DomainError DB.UNAVAILABLE when its
 * backend cannot be reached. `(provider, subject)` is unique, and so is `(userId, provider)`: a user
 * links at most one account of each provider. A user's identities go with the user (ON DELETE
 * CASCADE on SQL).
 */
export interface IdentityStore extends LinkedIdentities {
  /** False, and nothing written, when the provider account or the user's slot for that provider is taken. */
  insert(identity: Identity): Promise<boolean>;
  findBySubject(provider: string, subject: string): Promise<Identity | null>;
  /** The user's identities, oldest first. */
  listByUser(userId: string): Promise<Identity[]>;
  /** How many identities the user has linked (passkeys ask it before removing the last passkey). */
  countByUser(userId: string): Promise<number>;
  /** Removes the user's identity at that provider; false when there was none. */
  delete(userId: string, provider: string): Promise<boolean>;
}
