import type { Clock } from '../../domain/ports/clock.js';
import type { PasskeyCeremonies } from '../../domain/ports/passkey-ceremonies.js';
import type { PasskeyChallengeStore } from '../../domain/ports/passkey-challenge-store.js';
import { PasskeyChallenge, type PasskeyCeremony } from '../../domain/passkey/passkey.js';
import { passkeyChallengeInvalid } from '../../domain/passkey/passkey-errors.js';

export interface PasskeySettings {
  /** How long a ceremony's challenge waits for its answer (also the browser's timeout). */
  challengeTtlSeconds: number;
}

/**
 * The server side of WebAuthn challenges: each one is stored when handed out and spent by the
 * response that carries it, whether that response then verifies or not, so a challenge signs in at
 * most once. The challenge is its own handle: the client sends back only the browser's response.
 */
export class PasskeyChallenges {
  constructor(
    private readonly store: PasskeyChallengeStore,
    private readonly ceremonies: PasskeyCeremonies,
    private readonly clock: Clock,
    private readonly settings: PasskeySettings,
  ) {}

  async issue(ceremony: PasskeyCeremony, userId: string | null): Promise<string> {
    const id = this.ceremonies.newChallenge();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.settings.challengeTtlSeconds * 1000);
    await this.store.insert(new PasskeyChallenge(id, ceremony, userId, now, expiresAt));
    return id;
  }

  /**
   * Spends the challenge `response` carries: it must be live, for this ceremony, and (registration)
   * handed to this user. Throws AUTH.PASSKEY_CHALLENGE_INVALID otherwise.
   */
  async take(response: unknown, ceremony: PasskeyCeremony, userId: string | null): Promise<string> {
    const id = this.ceremonies.challengeOf(response);
    const challenge = id === null ? null : await this.store.consume(id);
    const live =
      challenge !== null &&
      challenge.ceremony === ceremony &&
      challenge.userId === userId &&
      challenge.expiresAt > this.clock.now();
    if (!live) throw passkeyChallengeInvalid();
    return challenge.id;
  }

  /** Challenges never answered: they are refused anyway; this keeps the store small. */
  deleteExpired(): Promise<number> {
    return this.store.deleteExpired(this.clock.now());
  }
}
