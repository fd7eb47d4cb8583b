import type { Middleware } from 'koa';
import type { PoolStats } from '../metrics.js';

/** What the composition root opened and must close, in reverse order, on shutdown. */
export class Resources {
  requestScope?: Middleware;
  /** The SQL connection pool's numbers, for the metrics. */
  poolStats?: () => PoolStats | undefined;
  private readonly closers: Array<() => Promise<unknown>> = [];

  onClose(close: () => Promise<unknown>): void {
    this.closers.push(close);
  }

  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close();
  }
}
