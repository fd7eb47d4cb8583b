import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { validate as isUuid } from 'uuid';
import type { PasskeyStore, PasskeyUse } from '../../../domain/ports/passkey-store.js';
import { Passkey, type PasskeyDeviceType } from '../../../domain/passkey/passkey.js';
import { translateDbError } from './db-errors.js';
import { CREDENTIAL_ID_MAX, PasskeySchema, type PasskeyRow } from './passkey-schema.js';
import { contextEm } from './transaction-scope.js';

const toRow = (p: Passkey): PasskeyRow => ({
  id: p.id,
  userId: p.userId,
  publicKey: Buffer.from(p.publicKey),
  counter: p.counter,
  transports: p.transports.join(','),
  deviceType: p.deviceType,
  backedUp: p.backedUp,
  name: p.name,
  createdAt: p.createdAt,
  lastUsedAt: p.lastUsedAt,
});

const toPasskey = (r: PasskeyRow) =>
  new Passkey(
    r.id,
    r.userId,
    new Uint8Array(r.publicKey),
    Number(r.counter),
    r.transports ? r.transports.split(',') : [],
    r.deviceType as PasskeyDeviceType,
    Boolean(r.backedUp),
    r.name,
    new Date(r.createdAt),
    r.lastUsedAt ? new Date(r.lastUsedAt) : null,
  );

/** A credential id this table could hold; anything else names no passkey (and never reaches SQL). */
const isCredentialId = (id: string) => typeof id === 'string' && id.length > 0 && id.length <= CREDENTIAL_ID_MAX;

/**
 * Passkeys in `passkeys`. A duplicate credential id is skipped by ON CONFLICT DO NOTHING (a failed
 * statement would abort a PostgreSQL transaction); a use is a compare-and-set on the counter.
 */
export class MikroOrmPasskeyStore implements PasskeyStore {
  constructor(private readonly orm: MikroORM) {}

  private em(): SqlEntityManager {
    return contextEm(this.orm) as SqlEntityManager;
  }

  insert(passkey: Passkey): Promise<boolean> {
    return translateDbError(async () => {
      const qb = this.em().createQueryBuilder(PasskeySchema).insert(toRow(passkey)).onConflict('id').ignore();
      return (await qb.execute('run')).affectedRows === 1;
    });
  }

  findById(id: string): Promise<Passkey | null> {
    if (!isCredentialId(id)) return Promise.resolve(null);
    return translateDbError(async () => {
      const row = await this.em().findOne(PasskeySchema, { id }, { disableIdentityMap: true });
      return row ? toPasskey(row) : null;
    });
  }

  listByUser(userId: string): Promise<Passkey[]> {
    if (!isUuid(userId)) return Promise.resolve([]);
    return translateDbError(async () => {
      const rows = await this.em().find(
        PasskeySchema,
        { userId },
        { orderBy: { createdAt: 'asc', id: 'asc' }, disableIdentityMap: true },
      );
      return rows.map(toPasskey);
    });
  }

  countByUser(userId: string): Promise<number> {
    if (!isUuid(userId)) return Promise.resolve(0);
    return translateDbError(() => this.em().count(PasskeySchema, { userId }));
  }

  recordUse(id: string, use: PasskeyUse): Promise<boolean> {
    if (!isCredentialId(id)) return Promise.resolve(false);
    return translateDbError(async () => {
      const changes = { counter: use.counter, lastUsedAt: use.usedAt, backedUp: use.backedUp };
      return (await this.em().nativeUpdate(PasskeySchema, { id, counter: use.previousCounter }, changes)) === 1;
    });
  }

  delete(id: string, userId: string): Promise<boolean> {
    if (!isCredentialId(id) || !isUuid(userId)) return Promise.resolve(false);
    return translateDbError(async () => (await this.em().nativeDelete(PasskeySchema, { id, userId })) === 1);
  }
}
