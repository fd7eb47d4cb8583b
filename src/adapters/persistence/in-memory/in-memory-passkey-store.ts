import type { PasskeyStore, PasskeyUse } from '../../../domain/ports/passkey-store.js';
import { Passkey } from '../../../domain/passkey/passkey.js';

const copy = (p: Passkey) =>
  new Passkey(
    p.id,
    p.userId,
    new Uint8Array(p.publicKey),
    p.counter,
    [...p.transports],
    p.deviceType,
    p.backedUp,
    p.name,
    new Date(p.createdAt),
    p.lastUsedAt && new Date(p.lastUsedAt),
  );

/** For unit tests and `DB_DRIVER=memory`. Every method changes the map within one tick. */
export class InMemoryPasskeyStore implements PasskeyStore {
  private readonly passkeys = new Map<string, Passkey>();

  async insert(passkey: Passkey): Promise<boolean> {
    if (this.passkeys.has(passkey.id)) return false;
    this.passkeys.set(passkey.id, copy(passkey));
    return true;
  }

  async findById(id: string): Promise<Passkey | null> {
    const found = this.passkeys.get(id);
    return found ? copy(found) : null;
  }

  async listByUser(userId: string): Promise<Passkey[]> {
    return [...this.passkeys.values()]
      .filter((p) => p.userId === userId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
      .map(copy);
  }

  async countByUser(userId: string): Promise<number> {
    return [...this.passkeys.values()].filter((p) => p.userId === userId).length;
  }

  async recordUse(id: string, use: PasskeyUse): Promise<boolean> {
    const stored = this.passkeys.get(id);
    if (!stored || stored.counter !== use.previousCounter) return false;
    Object.assign(stored, { counter: use.counter, lastUsedAt: new Date(use.usedAt), backedUp: use.backedUp });
    return true;
  }

  async delete(id: string, userId: string): Promise<boolean> {
    if (this.passkeys.get(id)?.userId !== userId) return false;
    return this.passkeys.delete(id);
  }
}
