import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireService } from '../support/services.js';

/** Which checks run, and why two are left out, is in schemathesis.toml beside this file. */
const CONFIG = fileURLToPath(new URL('./schemathesis.toml', import.meta.url));

/** Bounded so the run takes about a minute on two cores; PROPERTY_* widen it for a longer hunt. */
export const SEED = process.env.PROPERTY_SEED ?? '1';
export const MAX_EXAMPLES = process.env.PROPERTY_MAX_EXAMPLES ?? '100';

const HOOKS = fileURLToPath(new URL('./hooks.py', import.meta.url));

/** The schemathesis CLI `npm run services` installed: the suite fails under CI without it, else skips. */
export function requireSchemathesis(ctx: Mocha.Context): string {
  const cli = requireService(ctx, 'SCHEMATHESIS', 'schemathesis (PyPI, into .services/venv)');
  if (existsSync(cli)) return cli;
  const why = `SCHEMATHESIS is ${cli}, which does not exist; run npm run services (it installs schemathesis)`;
  if (process.env.CI) throw new Error(`schemathesis is required under CI: ${why}`);
  console.log(`      (skipped: ${why})`);
  return ctx.skip();
}

export interface Tokens {
  user: string;
  admin: string;
}

export function schemathesisArgs(baseUrl: string, reportDir: string): string[] {
  return [
    `--config-file=${CONFIG}`,
    'run',
    `${baseUrl}/openapi.json`,
    `--max-examples=${MAX_EXAMPLES}`,
    `--seed=${SEED}`,
    '--workers=1',
    '--generation-database=none',
    '--request-timeout=10',
    '--no-color',
    '--report=junit',
    `--report-junit-path=${path.join(reportDir, 'junit.xml')}`,
  ];
}

/** Runs the CLI against the app; resolves with its exit code and everything it printed. */
export function runSchemathesis(cli: string, baseUrl: string, tokens: Tokens) {
  const reportDir = process.env.PROPERTY_REPORT_DIR ?? path.join(os.tmpdir(), 'portico-property');
  mkdirSync(reportDir, { recursive: true });
  const args = schemathesisArgs(baseUrl, reportDir);
  const env = {
    ...process.env,
    SCHEMATHESIS_HOOKS: HOOKS,
    PORTICO_URL: baseUrl,
    PORTICO_USER_TOKEN: tokens.user,
    PORTICO_ADMIN_TOKEN: tokens.admin,
  };
  return new Promise<{ code: number | null; output: string; command: string; reportDir: string }>((resolve, reject) => {
    // In the report directory, so nothing it may write lands in the checkout.
    const child = spawn(cli, args, { cwd: reportDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, command: `schemathesis ${args.join(' ')}`, reportDir }));
  });
}
