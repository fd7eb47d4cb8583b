/**
 * Runs work as one transaction where the store has them (SQL): writes made through the stores inside
 * `work` commit together or not at all. Stores without transactions (MongoDB here, memory) run the
 * work as it comes; use cases order their writes so a crash part-way leaves nothing harmful (a token
 * whose mail was never queued is simply never used).
 */
export interface UnitOfWork {
  run<T>(work: () => Promise<T>): Promise<T>;
}
