import type { Container } from 'inversify';
import { TOKENS as T } from '../../src/infrastructure/container/tokens.js';
import { startPortico } from './portico.js';

export const ADMIN = { email: 'admin@example.com', password: 'admin password 1' };

export interface TestAppOptions {
  /** Settings over the harness's, as an operator sets them (`LOGIN_MAX_FAILURES_PER_ACCOUNT` ...). */
  env?: Record<string, string>;
  /** The composition root's test-only seam: replace bindings (`container.rebind(GetUser)...`) before anything resolves. */
  override?: (container: Container) => void;
}

/**
 * The real app from the real composition root (`startPortico`), on the memory database and file
 * store: bcrypt at cost 4, a fresh signing key, debug logging. Every log line is kept in `logs` so
 * tests can read what would have been written.
 */
export async function startTestApp(options: TestAppOptions = {}) {
  let container: Container | undefined;
  const portico = await startPortico(
    {
      LOG_LEVEL: 'debug',
      FILE_STORE: 'memory',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '50',
      LOGIN_MAX_FAILURES_PER_CLIENT: '500',
      LOGIN_THROTTLE_WINDOW_S: '60',
      // A test's close ends every connection at once, as it always did.
      SHUTDOWN_GRACE_MS: '0',
      ...options.env,
    },
    {
      override: (c) => {
        container = c;
        options.override?.(c);
      },
    },
  );
  return {
    url: portico.url,
    users: await container!.getAsync(T.UserStore),
    logs: portico.logs,
    close: portico.stop,
  };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
