import pMap from 'p-map';
import { DomainError } from '../../domain/errors.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import type { User } from '../../domain/user/user.js';

export interface SeedOutcome {
  created: number;
  /** Users skipped because their email was already taken (a re-run can draw one). */
  taken: number;
}

function* inBatches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

const isEmailTaken = (error: unknown) => error instanceof DomainError && error.code === 'USER.EMAIL_TAKEN';

/** One `createMany` for the batch; if an email in it is taken, which stores none of it, one user at a time. */
async function insertBatch(store: UserStore, users: User[]): Promise<SeedOutcome> {
  try {
    await store.createMany(users);
    return { created: users.length, taken: 0 };
  } catch (error) {
    if (!isEmailTaken(error)) throw error;
  }
  let taken = 0;
  for (const user of users) {
    try {
      await store.create(user);
    } catch (error) {
      if (!isEmailTaken(error)) throw error;
      taken += 1;
    }
  }
  return { created: users.length - taken, taken };
}

/**
 * Stores `users` in batches of `batch`, `concurrency` batches at a time. p-map pulls the next batch
 * only when one is done, so a generator of users is read a few batches ahead, never whole.
 */
export async function seedUsers(
  store: UserStore,
  users: Iterable<User>,
  { batch, concurrency }: { batch: number; concurrency: number },
): Promise<SeedOutcome> {
  const total: SeedOutcome = { created: 0, taken: 0 };
  await pMap(
    inBatches(users, batch),
    async (slice) => {
      const outcome = await insertBatch(store, slice);
      total.created += outcome.created;
      total.taken += outcome.taken;
    },
    { concurrency },
  );
  return total;
}
