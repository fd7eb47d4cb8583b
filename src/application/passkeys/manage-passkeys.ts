import type { LinkedIdentities } from '../../domain/ports/linked-identities.js';
import type { PasskeyStore } from '../../domain/ports/passkey-store.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import type { Passkey } from '../../domain/passkey/passkey.js';
import { lastSignInMethod, passkeyNotFound } from '../../domain/passkey/passkey-errors.js';
import { hasPassword } from '../../domain/user/password.js';
import type { Actor } from '../../domain/user/user.js';

/** The caller's own passkeys, oldest first. */
export class ListPasskeys {
  constructor(private readonly passkeys: PasskeyStore) {}

  execute(input: { actor: Actor }): Promise<Passkey[]> {
    return this.passkeys.listByUser(input.actor.id);
  }
}

/**
 * Removes one of the caller's passkeys (another user's is 404, as if absent). The last way in is
 * never removed: without a password, another passkey or a linked identity, the answer is 409.
 */
export class RemovePasskey {
  constructor(
    private readonly passkeys: PasskeyStore,
    private readonly users: UserStore,
    private readonly identities: LinkedIdentities,
  ) {}

  async execute(input: { actor: Actor; id: string }): Promise<void> {
    const passkey = await this.passkeys.findById(input.id);
    if (!passkey || passkey.userId !== input.actor.id) throw passkeyNotFound();
    if (!(await this.hasAnotherWayIn(input.actor))) throw lastSignInMethod();
    if (!(await this.passkeys.delete(passkey.id, input.actor.id))) throw passkeyNotFound();
  }

  private async hasAnotherWayIn(actor: Actor): Promise<boolean> {
    const user = actor.self ?? (await this.users.findById(actor.id));
    if (user && hasPassword(user)) return true;
    if ((await this.passkeys.countByUser(actor.id)) > 1) return true;
    return (await this.identities.countByUser(actor.id)) > 0;
  }
}
