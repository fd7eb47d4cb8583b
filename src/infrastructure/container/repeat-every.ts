import type { BackgroundJob } from './tokens.js';

/**
 * Runs `round` every `intervalMs` while the server runs (never when 0), one round at a time: a tick
 * that comes while a round is under way is skipped. A round that fails goes to `failed`. The timer
 * keeps no process alive; stopping it waits for a round under way.
 */
export function repeatEvery(
  intervalMs: number,
  round: () => Promise<void>,
  failed: (error: unknown) => void,
): BackgroundJob {
  if (intervalMs === 0) return { stop: async () => undefined };
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= round()
      .catch(failed)
      .finally(() => (running = undefined));
  };
  const timer = setInterval(run, intervalMs).unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
