import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseConfig, type Config } from '../../src/infrastructure/config.js';
import type { CompositionOptions } from '../../src/infrastructure/container/build-container.js';
import { createLogger } from '../../src/infrastructure/logging.js';
import { startServer } from '../../src/infrastructure/server.js';
import { newPrivateKeyPem } from './fakes.js';

export const PORTICO_ADMIN = { email: 'root@example.com', password: 'root password 1' };
const sharedKey = newPrivateKeyPem();

/**
 * The whole app as `npm start` builds it (config -> composition root -> HTTP server) on port 0,
 * with every log line captured. Backends and limits come from `env`, exactly as an operator sets them;
 * `options.override` is the composition root's test-only seam (replace a binding).
 */
export async function startPortico(
  env: Record<string, string> = {},
  options: Pick<CompositionOptions, 'override'> = {},
) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'portico-app-'));
  const config: Config = parseConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    DATA_DIR: dataDir,
    DB_DRIVER: 'memory',
    BCRYPT_COST: '4',
    JWT_PRIVATE_KEY: sharedKey,
    ADMIN_EMAIL: PORTICO_ADMIN.email,
    ADMIN_PASSWORD: PORTICO_ADMIN.password,
    LOGIN_MAX_FAILURES_PER_CLIENT: '100000',
    CORS_ORIGINS: 'https://app.example.com',
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (logs.push(chunk.toString()), done()) });
  const running = await startServer(config, createLogger(config.logLevel, sink), options);
  let stopped = false;
  return {
    url: running.url,
    server: running.server,
    config,
    logs,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Portico = Awaited<ReturnType<typeof startPortico>>;
