import { unauthenticated } from '../../domain/errors.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { PasskeyCeremonies, WebAuthnOptions } from '../../domain/ports/passkey-ceremonies.js';
import type { PasskeyStore } from '../../domain/ports/passkey-store.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import { Passkey } from '../../domain/passkey/passkey.js';
import { passkeyExists } from '../../domain/passkey/passkey-errors.js';
import type { Actor, User } from '../../domain/user/user.js';
import type { PasskeyChallenges } from './passkey-challenges.js';

const DEFAULT_NAME = 'Passkey';

async function callerOf(users: UserStore, actor: Actor): Promise<User> {
  const user = actor.self ?? (await users.findById(actor.id));
  if (!user) throw unauthenticated();
  return user;
}

/**
 * The first step of adding a passkey, for the signed-in user: creation options for a discoverable
 * credential, excluding the authenticators the user has registered already, with a challenge bound
 * to this user.
 */
export class StartPasskeyRegistration {
  constructor(
    private readonly users: UserStore,
    private readonly passkeys: PasskeyStore,
    private readonly challenges: PasskeyChallenges,
    private readonly ceremonies: PasskeyCeremonies,
  ) {}

  async execute(input: { actor: Actor }): Promise<WebAuthnOptions> {
    const user = await callerOf(this.users, input.actor);
    const exclude = await this.passkeys.listByUser(user.id);
    const challenge = await this.challenges.issue('registration', user.id);
    return this.ceremonies.registrationOptions({ challenge, user, exclude });
  }
}

/** The second step: the browser's attestation, verified against the user's challenge, becomes a passkey. */
export class FinishPasskeyRegistration {
  constructor(
    private readonly passkeys: PasskeyStore,
    private readonly challenges: PasskeyChallenges,
    private readonly ceremonies: PasskeyCeremonies,
    private readonly clock: Clock,
  ) {}

  async execute(input: { actor: Actor; response: unknown; name?: string }): Promise<Passkey> {
    const challenge = await this.challenges.take(input.response, 'registration', input.actor.id);
    const credential = await this.ceremonies.verifyRegistration(input.response, challenge);
    const passkey = new Passkey(
      credential.id,
      input.actor.id,
      credential.publicKey,
      credential.counter,
      credential.transports,
      credential.deviceType,
      credential.backedUp,
      input.name ?? DEFAULT_NAME,
      this.clock.now(),
    );
    if (!(await this.passkeys.insert(passkey))) throw passkeyExists();
    return passkey;
  }
}
