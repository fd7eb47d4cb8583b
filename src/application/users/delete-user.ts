import { notFound } from '../../domain/errors.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { expectedVersion, type IfMatch } from '../../domain/precondition.js';
import type { Actor } from '../../domain/user/user.js';
import type { DeleteUserFiles } from '../files/delete-user-files.js';
import type { RevokeUserSessions } from '../sessions/revoke-user-sessions.js';
import { loadVisibleUser } from './access.js';

/**
 * Deletes a user with everything that is theirs: their files first (bytes, then rows), then their
 * sessions, then the user. A failure part way leaves the user in place, so the delete can be retried.
 * With `ifMatch` (If-Match), the version it names is first claimed by a conditional write, before
 * anything is deleted: a stale one, or a concurrent write over the same version, is
 * PRECONDITION.FAILED with nothing changed.
 */
export class DeleteUser {
  constructor(
    private readonly users: UserStore,
    private readonly files: Pick<DeleteUserFiles, 'execute'>,
    private readonly sessions: Pick<RevokeUserSessions, 'execute'>,
  ) {}

  async execute(input: { actor: Actor; id: string; ifMatch?: IfMatch }): Promise<void> {
    const user = await loadVisibleUser(this.users, input.actor, input.id);
    const expected = expectedVersion(input.ifMatch, user.version);
    if (expected !== undefined) await this.users.update(user, expected);
    await this.files.execute(input.id);
    await this.sessions.execute(input.id);
    if (!(await this.users.delete(input.id))) throw notFound();
  }
}
