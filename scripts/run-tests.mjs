// Runs every test layer (even after a failing one), then prints one line: "N passed, N failed".
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

// client: the typed client (clients/typescript) driving the whole app; property: schemathesis against
// the whole app's /openapi.json (test/property), after the rest.
const ALL = ['unit', 'interaction', 'integration', 'client', 'property'];
const GLOBS = { client: 'clients/typescript/test/**/*.test.ts' };
const layers = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
let passed = 0;
let failed = 0;
let crashed = false;

for (const layer of layers) {
  if (layer === 'integration' && !existsSync(new URL('../.services.env', import.meta.url)) && !process.env.CI) {
    console.log(
      'integration: no .services.env (npm run services has not run here). Suites that need FerretDB (MongoDB) or moto\n' +
        '  (S3, SSM, KMS), and those whose PostgreSQL or Redis is not reachable, are skipped, each with a line saying\n' +
        '  which server it needs. Run `npm run services` first to run them all.',
    );
  }
  const code = await new Promise((resolve) => {
    const child = spawn('npx', ['mocha', '--reporter', 'spec', GLOBS[layer] ?? `test/${layer}/**/*.test.ts`], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    // mocha's summary ("  12 passing (3s)", "  2 failing") comes before the failures' details, which
    // can run long: every line is looked at, not only the last part of the output.
    let partial = '';
    let pass;
    let fail;
    const read = (line) => {
      pass = /^ {2}(\d+) passing \(/.exec(line) ?? pass;
      fail = /^ {2}(\d+) failing$/.exec(line) ?? fail;
    };
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      lines.forEach(read);
    });
    child.on('close', (status) => {
      read(partial);
      passed += pass ? Number(pass[1]) : 0;
      failed += fail ? Number(fail[1]) : 0;
      if (status !== 0 && !fail) crashed = true;
      resolve(status);
    });
  });
  console.log(`layer ${layer}: exit ${code}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || crashed ? 1 : 0);
