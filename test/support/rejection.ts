/** The error a promise rejects with; fails the test when it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** The error `work` throws; fails the test when it returns instead. */
export function thrownBy(work: () => unknown): Error & { code?: string } {
  try {
    work();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a throw, but it returned');
}
