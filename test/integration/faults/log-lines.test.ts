import { expect } from 'chai';
import pg from 'pg';
import { createTestDatabase, requirePostgres, type TestDatabase } from '../../support/postgres.js';
import { startChild } from '../secrets/child-process.js';

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

async function terminateSessions(database: TestDatabase): Promise<number> {
  const { db } = database;
  const admin = new pg.Client({ host: db.host, port: db.port, user: db.user, password: db.password, database: 'postgres' });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database.name]);
    return rowCount ?? 0;
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
    const { db } = database;
    const child = startChild(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', DB_DRIVER: 'postgres', DB_MIGRATE_ON_START: 'true',
      DB_HOST: db.host, DB_PORT: String(db.port), DB_USER: db.user, DB_PASSWORD: db.password, DB_NAME: database.name,
      DB_POOL_MIN: '2', DATA_DIR: `/tmp/${database.name}`, FILE_STORE: 'memory',
    }, { limitMs: 45_000 });
    const [, port] = await child.waitFor(/"port":(\d+)[^\n]*"msg":"listening"/);
    const ready = () => fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.status);
    expect(await ready()).to.equal(200);

    // The pool's idle connections die under it; the next acquisitions find them disposed, and knex says so.
    expect(await terminateSessions(database)).to.be.greaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
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
