import type { EntityManager } from '@mikro-orm/core';
import { preconditionFailed, storeUnavailable } from '../../../domain/errors.js';
import { duplicateKeyIn } from './mongo-errors.js';
import { MongoVersionClaimSchema } from './mongo-version-claim-schema.js';

const MAX_ATTEMPTS = 20;
/**
 * A claim this old whose version was never written belongs to a writer that died (or stalled far
 * past any request timeout) between its claim and its write: it is removed, so the record does not
 * stay unwritable.
 */
const STALE_CLAIM_MS = 30_000;

/** Documents written before versions existed have no `version`: they read as version 1. */
export const storedVersion = (document: { version?: number | null }) => document.version ?? 1;

/** Matches a document at `version` (version 1 also when the field is absent). */
export const atVersion = (version: number) =>
  version === 1 ? { $or: [{ version: 1 }, { version: { $exists: false } }] } : { version };

/**
 * A versioned write, made safe among concurrent writers by a unique insert (see
 * MongoVersionClaimSchema): reads the stored version, checks `expected` against it, claims the
 * next version, and only then runs `write(from, to)`, which must filter on `atVersion(from)`.
 * A lost claim is PRECONDITION.FAILED when `expected` was given; otherwise the read is repeated and
 * the write made over the newer version (a few times: past that the store is too busy, 503). A
 * failed write gives its claim back. Returns the version written, or null when the record does not exist.
 */
export async function writeVersioned(
  em: EntityManager,
  record: string,
  readVersion: () => Promise<number | null>,
  expected: number | undefined,
  write: (from: number, to: number) => Promise<number>,
): Promise<number | null> {
  for (let attempt = 0; ; attempt++) {
    if (attempt === MAX_ATTEMPTS) throw storeUnavailable();
    const current = await readVersion();
    if (current === null) return null;
    if (expected !== undefined && current !== expected) throw preconditionFailed();
    const claim = `${record}:${current + 1}`;
    if (!(await insertClaim(em, claim, record))) {
      if (await removedStaleClaim(em, claim, record, current, readVersion)) continue;
      if (expected !== undefined) throw preconditionFailed();
      continue;
    }
    const written = await write(current, current + 1).catch(async (error: unknown) => {
      await em.nativeDelete(MongoVersionClaimSchema, { _id: claim });
      throw error;
    });
    if (written > 0) {
      // The claim on the version now replaced guards nothing any more: claims do not pile up.
      await em.nativeDelete(MongoVersionClaimSchema, { _id: `${record}:${current}` }).catch(() => undefined);
      return current + 1;
    }
    // The record went away between the read and the write.
    await em.nativeDelete(MongoVersionClaimSchema, { _id: claim });
    if ((await readVersion()) === null) return null;
    throw preconditionFailed();
  }
}

/** Removes `claim` when it is stale and the record is still at the version before it; true if it did. */
async function removedStaleClaim(
  em: EntityManager,
  claim: string,
  record: string,
  current: number,
  readVersion: () => Promise<number | null>,
): Promise<boolean> {
  const held = await em.findOne(MongoVersionClaimSchema, { _id: claim }, { disableIdentityMap: true });
  if (!held || Date.now() - new Date(held.claimedAt).getTime() < STALE_CLAIM_MS) return false;
  if ((await readVersion()) !== current) return false;
  return (await em.nativeDelete(MongoVersionClaimSchema, { _id: claim, record, claimedAt: held.claimedAt })) > 0;
}

async function insertClaim(em: EntityManager, _id: string, record: string): Promise<boolean> {
  try {
    await em.insert(MongoVersionClaimSchema, { _id, record, claimedAt: new Date() });
    return true;
  } catch (error) {
    if (duplicateKeyIn(error)) return false;
    throw error;
  }
}

/** A deleted record's claims go with it. */
export const deleteClaims = (em: EntityManager, record: string) => em.nativeDelete(MongoVersionClaimSchema, { record });
