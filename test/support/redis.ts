import { Redis } from 'ioredis';

/**
 * Redis-backed suites need a server at 127.0.0.1:6379. Under CI it must be there (the suite fails);
 * elsewhere the suite is skipped with the reason printed.
 */
export async function requireRedis(ctx: Mocha.Context): Promise<void> {
  const client = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    if (process.env.CI) throw new Error(`Redis is required under CI but is unreachable: ${(error as Error).message}`);
    console.log('      (skipped: no Redis at 127.0.0.1:6379; start one to run this suite)');
    ctx.skip();
  } finally {
    client.disconnect();
  }
}
