import { DomainError } from '../../domain/errors.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import type { Actor, User } from '../../domain/user/user.js';
import { userNotFound } from '../../domain/user/user-errors.js';
import { requireAdmin, withFreshReads } from './access.js';

export interface RestoreSettings {
  /** How long a soft-deleted user can be restored (USER_RESTORE_DAYS); then the purge deletes them. */
  restoreDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The moment a user deleted at `deletedAt` can no longer be restored (and may be purged). */
export const restoreEnds = (deletedAt: Date, settings: RestoreSettings) =>
  new Date(deletedAt.getTime() + settings.restoreDays * DAY_MS);

/** Users deleted before this moment are past the window at `now`: the purge's cut-off. */
export const restorableSince = (now: Date, settings: RestoreSettings) =>
  new Date(now.getTime() - settings.restoreDays * DAY_MS);

const notDeleted = () => new DomainError('USER.NOT_DELETED', 'The user is not deleted.');
const restoreExpired = () =>
  new DomainError('USER.RESTORE_EXPIRED', 'The restore window for this user has ended; it is being deleted for good.');

/**
 * Brings a soft-deleted user back within the restore window, as they were (their status, role,
 * files); their sessions do not come back. Written over the version read, so a concurrent restore
 * or purge is seen rather than overwritten. The window is checked here and by the purge alike, so a
 * user past it is never restored while the purge deletes their files.
 */
export class RestoreUser {
  constructor(
    private readonly users: UserStore,
    private readonly clock: Clock,
    private readonly settings: RestoreSettings,
  ) {}

  async execute(input: { actor: Actor; id: string }): Promise<User> {
    requireAdmin(input.actor);
    // Over the version read; a concurrent restore that won leaves this one USER.NOT_DELETED.
    return withFreshReads(undefined, async () => {
      const user = await this.users.findById(input.id, { withDeleted: true });
      if (!user) throw userNotFound();
      if (!user.deletedAt) throw notDeleted();
      const now = this.clock.now();
      if (restoreEnds(user.deletedAt, this.settings) <= now) throw restoreExpired();
      user.deletedAt = null;
      user.updatedAt = now;
      await this.users.update(user, user.version);
      return user;
    });
  }
}
