import { expect } from 'chai';
import { aSignedInUser, login } from '../support/http-client.js';
import { PORTICO_ADMIN, startPortico, type Portico } from '../support/portico.js';
import { requireSchemathesis, runSchemathesis } from './schemathesis.js';

/** The end of a run: failures by code, counts, the seed and the report's path (or the last of a crash). */
const summaryOf = (output: string) => {
  const at = output.lastIndexOf('= SUMMARY =');
  return (at < 0 ? output.slice(-3000) : output.slice(output.lastIndexOf('\n', at) + 1)).trim();
};

describe('the whole contract, property-based (schemathesis against /openapi.json)', function () {
  // About 50 s on two cores; the bound only stops a run that hangs.
  this.timeout(8 * 60_000);
  let cli: string;
  let app: Portico;

  before(async function () {
    cli = requireSchemathesis(this);
    // As `npm start` runs it: SQLite and files on local disk, in a temp dir of its own.
    app = await startPortico({ DB_DRIVER: 'sqlite', FILE_STORE: 'local', JWT_ACCESS_TTL_S: '3600', LOG_LEVEL: 'warn' });
  });
  after(() => app?.stop());

  it('answers every generated request as documented: no 5xx; statuses, media types, headers, bodies', async () => {
    const user = await aSignedInUser(app);
    const admin = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
    const run = await runSchemathesis(cli, app.url, { user: user.token, admin });
    console.log(`      ${run.command}\n      JUnit report: ${run.reportDir}/junit.xml`);
    if (run.code !== 0) {
      console.log(run.output);
      const serverErrors = app.logs.filter((line) => /"level":(50|60)/.test(line));
      if (serverErrors.length) console.log(`the app's error log:\n${serverErrors.join('')}`);
    }
    expect(run.code, `schemathesis failed (its output is above):\n${summaryOf(run.output)}`).to.equal(0);
  });
});
