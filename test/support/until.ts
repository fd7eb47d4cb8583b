import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `check` every `everyMs` until it holds. With no `withinMs` the test's own timeout is the only
 * deadline; with one it gives up quietly when it passes, for a caller that asserts afterwards and so
 * fails with the real values.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  { everyMs = 10, withinMs = Infinity }: { everyMs?: number; withinMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check()) && Date.now() < deadline) await sleep(everyMs);
}
