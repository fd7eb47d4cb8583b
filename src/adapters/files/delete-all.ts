import pMap from 'p-map';
import type { FileKey } from '../../domain/file/file-key.js';
import type { FileStore } from '../../domain/ports/file-store.js';

/**
 * Deletes every key with at most `concurrency` deletes in flight. One failure does not stop the
 * rest (a user's deletion should remove as much as it can); the first failure is thrown at the end.
 */
export async function deleteAll(store: Pick<FileStore, 'delete'>, keys: FileKey[], concurrency: number): Promise<void> {
  const failures: unknown[] = [];
  await pMap(
    keys,
    async (key) => {
      try {
        await store.delete(key);
      } catch (error) {
        failures.push(error);
      }
    },
    { concurrency },
  );
  if (failures.length > 0) throw failures[0];
}
