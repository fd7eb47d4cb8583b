import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

const SERVICES_ENV = new URL('../../.services.env', import.meta.url);

// Read here, never copied into process.env: the AWS SDK would then send every client that has no
// explicit endpoint (the nock suites' among them) to moto.
const written: Record<string, string | undefined> = existsSync(SERVICES_ENV)
  ? parseEnv(readFileSync(SERVICES_ENV, 'utf8'))
  : {};

/** A setting of the servers `npm run services` started: the environment first, then `.services.env`. */
export function serviceSetting(name: string): string | undefined {
  return process.env[name] || written[name] || undefined;
}

/**
 * For a suite that needs one of those servers: its setting. Under CI a missing one fails the suite;
 * elsewhere the suite is skipped (pending, never passed) with the reason printed.
 */
export function requireService(ctx: Mocha.Context, name: string, server: string): string {
  const value = serviceSetting(name);
  if (value) return value;
  const why = `${name} is not set and there is no .services.env; run npm run services (it starts ${server})`;
  if (process.env.CI) throw new Error(`${server} is required under CI: ${why}`);
  console.log(`      (skipped: ${why})`);
  return ctx.skip();
}
