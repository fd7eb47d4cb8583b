import type { Clock } from '../../domain/ports/clock.js';
import { expectedVersion, type IfMatch } from '../../domain/precondition.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { Email } from '../../domain/user/email.js';
import { checkProfile, type Profile } from '../../domain/user/profile.js';
import type { Role } from '../../domain/user/role.js';
import type { UserStatus } from '../../domain/user/status.js';
import { isAdmin, type Actor, type User } from '../../domain/user/user.js';
import {
  emailTaken,
  roleChangeNeedsAdmin,
  selfDisableRefused,
  statusChangeNeedsAdmin,
} from '../../domain/user/user-errors.js';
import type { AccountMail } from '../accounts/account-mail.js';
import type { RevokeUserSessions } from '../sessions/revoke-user-sessions.js';
import { loadVisibleUser, withFreshReads } from './access.js';

export interface UserChanges {
  email?: string;
  name?: string;
  profile?: Profile;
  role?: Role;
  /** Admins only; disabling ends every session of the user at once. */
  status?: UserStatus;
}

/**
 * Applies already-resolved field values (PUT and PATCH both end here).
 *
 * A new email asked for by the user is not set here: a link goes to the new address (and a notice
 * to the old one), and POST /v1/auth/email/confirm sets it when the link is followed. An admin sets
 * an email directly; it is then unverified, and a verification link goes to it.
 *
 * The write is always over a version: the one If-Match names (checked against the version read
 * here, then again, atomically, by the store: PRECONDITION.FAILED when it moved), or else the one
 * read, so a concurrent write in between (a disable, a delete) is never overwritten from a stale
 * read: the changes are applied again to a fresh read (withFreshReads), and a user deleted
 * meanwhile is then not found.
 */
export class UpdateUser {
  constructor(
    private readonly users: UserStore,
    private readonly clock: Clock,
    /** After a role change: sessions issued under the old role must end. */
    private readonly sessions: Pick<RevokeUserSessions, 'execute'>,
    private readonly mail: Pick<AccountMail, 'verification' | 'emailChange'>,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute(input: {
    actor: Actor;
    id: string;
    changes: (user: User) => UserChanges;
    ifMatch?: IfMatch;
  }): Promise<User> {
    const { user, revoke } = await withFreshReads(input.ifMatch, () => this.attempt(input));
    if (revoke) await this.sessions.execute(user.id);
    return user;
  }

  /** One read-modify-write, over the version read (or named by If-Match). */
  private async attempt(input: {
    actor: Actor;
    id: string;
    changes: (user: User) => UserChanges;
    ifMatch?: IfMatch;
  }): Promise<{ user: User; revoke: boolean }> {
    const user = await loadVisibleUser(this.users, input.actor, input.id);
    const expected = expectedVersion(input.ifMatch, user.version) ?? user.version;
    const changes = input.changes(user);
    if (changes.role !== undefined && changes.role !== user.role && !isAdmin(input.actor)) {
      throw roleChangeNeedsAdmin();
    }
    // Refused even when it would change nothing: a user never sets their own status.
    if (changes.status !== undefined && !isAdmin(input.actor)) throw statusChangeNeedsAdmin();
    // An admin who disabled their own account could not undo it (nor could anyone, were they the last).
    if (changes.status === 'disabled' && input.actor.id === user.id) throw selfDisableRefused();
    const email = changes.email === undefined ? user.email : Email.parse(changes.email).value;
    if (changes.name !== undefined) user.name = changes.name.trim();
    if (changes.profile !== undefined) user.profile = checkProfile(changes.profile);
    const roleChanged = changes.role !== undefined && changes.role !== user.role;
    if (changes.role !== undefined) user.role = changes.role;
    const disabled = changes.status === 'disabled' && user.status !== 'disabled';
    if (changes.status !== undefined) user.status = changes.status;
    const emailChanged = email !== user.email;
    // Asked for now rather than when the link is followed, so a typo is caught while the form is open.
    // A soft-deleted user's email stays taken until the purge.
    if (emailChanged && (await this.users.findByEmail(email, { withDeleted: true }))) throw emailTaken();
    const direct = emailChanged && isAdmin(input.actor);
    if (direct) {
      user.email = email;
      user.emailVerifiedAt = null;
    }
    user.updatedAt = this.clock.now();
    await this.unitOfWork.run(async () => {
      await this.users.update(user, expected);
      if (direct) await this.mail.verification(user);
      else if (emailChanged) await this.mail.emailChange(user, email);
    });
    return { user, revoke: roleChanged || disabled };
  }
}
