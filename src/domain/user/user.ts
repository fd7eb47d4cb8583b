import type { Profile } from './profile.js';
import type { Role } from './role.js';
import type { UserStatus } from './status.js';

/** A registered account. `passwordHash` never leaves the core through an HTTP answer. */
export class User {
  constructor(
    public id: string,
    public email: string,
    public name: string,
    public role: Role,
    public profile: Profile,
    public passwordHash: string,
    public createdAt: Date,
    public updatedAt: Date,
    /** When the holder proved the current email is theirs (a followed link); null until then. */
    public emailVerifiedAt: Date | null = null,
    /**
     * The TOTP secret, sealed by the SecretCipher port (never plain at rest). Set on enrolment;
     * required at login only once `totpEnabledAt` is set (a first valid code confirmed it).
     */
    public totpSecret: string | null = null,
    public totpEnabledAt: Date | null = null,
    /** The stored version: 1 when created, +1 on every write (the store sets it; ETags derive from it). */
    public version = 1,
    /** `disabled`: an admin paused the account; no sign-in, no token works, until re-enabled. */
    public status: UserStatus = 'active',
    /**
     * Set by a (soft) delete: the user is gone for everyone but admins, the email stays reserved,
     * and an admin may restore them until the restore window ends; then a sweep deletes them for good.
     */
    public deletedAt: Date | null = null,
  ) {}
}

export const isDeleted = (user: User) => user.deletedAt !== null;

/**
 * Whether a user whose credentials checked out may be signed in: every way in (password, MFA,
 * refresh, OpenID Connect, passkeys) asks this. A deleted user is treated as unknown (the caller's
 * own "no such account" answer); a disabled one answers AUTH.ACCOUNT_DISABLED.
 */
export function signInRefusal(user: User): 'deleted' | 'disabled' | null {
  if (isDeleted(user)) return 'deleted';
  return user.status === 'disabled' ? 'disabled' : null;
}

/** TOTP is required at login. */
export const hasTotp = (user: User) => user.totpEnabledAt !== null && user.totpSecret !== null;

export interface Actor {
  id: string;
  role: Role;
  /**
   * The actor's own record as read when this request was authenticated; a use case that only
   * reads the caller's own user may answer from it instead of reading it again.
   */
  self?: User;
}

export const isAdmin = (actor: Actor) => actor.role === 'admin';
export const canAccess = (actor: Actor, userId: string) => isAdmin(actor) || actor.id === userId;
