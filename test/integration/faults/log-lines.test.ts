import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { createTestDatabase, postgresEnv, requirePostgres, type TestDatabase } from '../../support/postgres.js';
import { directClient, terminateSessions } from '../../support/postgres-sessions.js';
import { listeningPort, startChild, startMain } from '../../support/start-child.js';

/** Every line that is not one JSON log record (pino's: an object with a numeric level and a msg). */
function linesOutsideTheLogFormat(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => {
      try {
        const record = JSON.parse(line) as { level?: unknown; msg?: unknown };
        return typeof record.level !== 'number' || typeof record.msg !== 'string';
      } catch {
        return true;
      }
    });
}

/** Ends every session on the test database, from one on the server's `postgres` database. */
async function terminateAll(database: TestDatabase): Promise<number> {
  const admin = await directClient(database, 'postgres');
  try {
    return await terminateSessions(admin, database);
  } finally {
    await admin.end();
  }
}

describe('the server writes only JSON log records (the real process on PostgreSQL)', function () {
  this.timeout(60_000);
  let database: TestDatabase;
  before(async function () {
    await requirePostgres(this);
    database = await createTestDatabase();
  });
  after(() => database?.drop());

  it('logs pooled connections the server killed as records, not as plain lines on stdout', async () => {
    const child = startMain(
      {
        ...postgresEnv(database),
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        DB_POOL_MIN: '2',
        DATA_DIR: `/tmp/${database.name}`,
        FILE_STORE: 'memory',
      },
      { limitMs: 45_000 },
    );
    const port = await listeningPort(child);
    const ready = () => fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.status);
    expect(await ready()).to.equal(200);

    // The pool's idle connections die under it; the next acquisitions find them disposed, and knex says so.
    expect(await terminateAll(database)).to.be.greaterThan(0);
    await sleep(200);
    for (let i = 0; i < 5; i++) await ready();
    await child.waitFor(/"component":"knex"[^\n]*Connection Error/);

    child.kill('SIGTERM');
    const { output } = await child.finished;
    expect(linesOutsideTheLogFormat(output), output).to.deep.equal([]);
  });

  it('routes process warnings and an unhandled rejection through the logger, then exits 1', async () => {
    const script = [
      "const { createLogger, routeProcessOutput } = await import('./src/infrastructure/logging.ts');",
      "routeProcessOutput(createLogger('info'));",
      "process.emitWarning('something is deprecated', 'DeprecationWarning', 'DEP0999');",
      "setTimeout(() => Promise.reject(new Error('nobody caught this')), 20);",
    ].join('\n');
    const child = startChild(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {});
    const { code, output } = await child.finished;
    expect(code, output).to.equal(1);
    expect(linesOutsideTheLogFormat(output), output).to.deep.equal([]);
    expect(output).to.match(/"level":40[^\n]*"code":"DEP0999"[^\n]*"msg":"something is deprecated"/);
    expect(output).to.match(/"level":60[^\n]*nobody caught this[^\n]*"msg":"unhandled rejection"/);
  });
});
