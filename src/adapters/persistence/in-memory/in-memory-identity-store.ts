import { Identity } from '../../../domain/oidc/identity.js';
import type { IdentityStore } from '../../../domain/ports/identity-store.js';

const copy = (i: Identity) => new Identity(i.id, i.userId, i.provider, i.subject, i.email, new Date(i.createdAt));

/** For unit tests and `DB_DRIVER=memory`. Every method changes the map within one tick, so an insert has one winner. */
export class InMemoryIdentityStore implements IdentityStore {
  private readonly identities = new Map<string, Identity>();

  async insert(identity: Identity): Promise<boolean> {
    if (this.identities.has(identity.id)) throw new Error(`duplicate identity id ${identity.id}`);
    const taken = [...this.identities.values()].some(
      (i) => i.provider === identity.provider && (i.subject === identity.subject || i.userId === identity.userId),
    );
    if (taken) return false;
    this.identities.set(identity.id, copy(identity));
    return true;
  }

  async findBySubject(provider: string, subject: string): Promise<Identity | null> {
    const found = [...this.identities.values()].find((i) => i.provider === provider && i.subject === subject);
    return found ? copy(found) : null;
  }

  async listByUser(userId: string): Promise<Identity[]> {
    return [...this.identities.values()]
      .filter((i) => i.userId === userId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
      .map(copy);
  }

  async countByUser(userId: string): Promise<number> {
    return (await this.listByUser(userId)).length;
  }

  async delete(userId: string, provider: string): Promise<boolean> {
    const found = [...this.identities.values()].find((i) => i.userId === userId && i.provider === provider);
    return found ? this.identities.delete(found.id) : false;
  }
}
