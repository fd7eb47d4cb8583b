import type { Clock } from '../../domain/ports/clock.js';
import type { UserStore } from '../../domain/ports/user-store.js';
import type { DeleteUserFiles } from '../files/delete-user-files.js';
import { restorableSince, type RestoreSettings } from './restore-user.js';

export interface PurgeReport {
  purged: number;
  failures: unknown[];
}

const BATCH = 100;

/**
 * Deletes for good the users soft-deleted longer ago than the restore window: their files first
 * (bytes, then rows, with the file store's bounded concurrency), then the user, whose tokens go
 * with it (foreign keys on SQL, by hand on MongoDB). One user's failure is reported and the rest go
 * on; that user stays deleted-but-kept and the next run tries again. The delete names the version
 * read, so a user written in between (nothing writes a user past the window; this is a guard) stays.
 */
export class PurgeDeletedUsers {
  constructor(
    private readonly users: UserStore,
    private readonly files: Pick<DeleteUserFiles, 'execute'>,
    private readonly clock: Clock,
    private readonly settings: RestoreSettings,
  ) {}

  async execute(): Promise<PurgeReport> {
    const before = restorableSince(this.clock.now(), this.settings);
    const report: PurgeReport = { purged: 0, failures: [] };
    const failed = new Set<string>();
    for (;;) {
      const batch = (await this.users.listDeletedBefore(before, BATCH + failed.size)).filter((u) => !failed.has(u.id));
      if (batch.length === 0) return report;
      for (const user of batch) {
        try {
          await this.files.execute(user.id);
          if (await this.users.delete(user.id, user.version)) report.purged += 1;
        } catch (error) {
          failed.add(user.id);
          report.failures.push(error);
        }
      }
    }
  }
}
