import type { Clock } from '../../domain/ports/clock.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { expectedVersion, type IfMatch } from '../../domain/precondition.js';
import type { Actor } from '../../domain/user/user.js';
import type { RevokeUserSessions } from '../sessions/revoke-user-sessions.js';
import { loadVisibleUser, withFreshReads } from './access.js';

/**
 * A soft delete: the user is marked deleted (hidden from everyone but admins, signed in nowhere,
 * the email kept taken) and every session ends; their data stays for the restore window, after
 * which PurgeDeletedUsers deletes it for good. With `ifMatch` (If-Match), the mark is a conditional
 * write over the version it names: PRECONDITION.FAILED with nothing changed when it moved.
 */
export class DeleteUser {
  constructor(
    private readonly users: UserStore,
    private readonly sessions: Pick<RevokeUserSessions, 'execute'>,
    private readonly clock: Clock,
  ) {}

  async execute(input: { actor: Actor; id: string; ifMatch?: IfMatch }): Promise<void> {
    await withFreshReads(input.ifMatch, async () => {
      const user = await loadVisibleUser(this.users, input.actor, input.id);
      const expected = expectedVersion(input.ifMatch, user.version) ?? user.version;
      const now = this.clock.now();
      user.deletedAt = now;
      user.updatedAt = now;
      // Over the version read (or named): a concurrent write in between is read again, not
      // overwritten; a concurrent delete that won leaves this one a 404.
      await this.users.update(user, expected);
    });
    await this.sessions.execute(input.id);
  }
}
