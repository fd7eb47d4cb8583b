import { Redis } from 'ioredis';
import { serviceSetting } from './services.js';

export const redisUrl = () => serviceSetting('REDIS_URL') ?? 'redis://127.0.0.1:6379';

/**
 * Redis-backed suites need the server `npm run services` starts (REDIS_URL, else 127.0.0.1:6379). Under CI it must be there (the suite fails);
 * elsewhere the suite is skipped with the reason printed.
 */
export async function requireRedis(ctx: Mocha.Context): Promise<void> {
  const client = new Redis(redisUrl(), { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    if (process.env.CI)
      throw new Error(`Redis is required under CI but is unreachable: ${(error as Error).message}`, { cause: error });
    console.log(`      (skipped: no Redis at ${redisUrl()}; run npm run services)`);
    ctx.skip();
  } finally {
    client.disconnect();
  }
}
