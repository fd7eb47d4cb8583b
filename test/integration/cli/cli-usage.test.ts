import { expect } from 'chai';
import { startChild, type Finished } from '../../support/start-child.js';

/** `npm run <script> -- ...args` as an operator types it, with an environment holding no settings. */
const npmRun = (script: string, args: string[]): Promise<Finished> =>
  startChild('npm', ['run', '--silent', script, '--', ...args], {}, { limitMs: 30_000 }).finished;

/** What went to stderr: the interleaved output less what went to stdout (each write is one chunk here). */
const stderrOf = ({ output, stdout }: Finished) => output.replace(stdout, '');

// Every CLI in src/infrastructure/cli, by the npm script that runs it, with arguments it must refuse.
const clis = [
  { script: 'migrate:up', usage: 'npm run migrate:up', misuse: ['sideways'], reason: "unexpected argument 'sideways'" },
  {
    script: 'seed',
    usage: 'npm run seed',
    misuse: ['--users', 'many'],
    reason: "--users must be a whole number, not 'many'",
  },
  { script: 'secrets', usage: 'npm run secrets -- check', misuse: ['frobnicate'], reason: '' },
  {
    script: 'bucket:setup',
    usage: 'npm run bucket:setup',
    misuse: ['--bucket'],
    reason: "Option '--bucket <value>' argument missing",
  },
  {
    script: 'docs:publish',
    usage: 'npm run docs:publish',
    misuse: ['--openapi', 'openapi.json'],
    reason: '--bucket is required',
  },
  { script: 'uploads:sweep', usage: 'npm run uploads:sweep', misuse: ['now'], reason: "Unexpected argument 'now'" },
];

describe('the CLIs answer --help and refuse what they cannot take', function () {
  this.timeout(60_000);

  for (const { script, usage, misuse, reason } of clis) {
    describe(`npm run ${script}`, () => {
      for (const flag of ['--help', '-h']) {
        it(`answers ${flag} with the usage on stdout, and exits 0`, async () => {
          const run = await npmRun(script, [flag]);

          expect(run.code, run.output).to.equal(0);
          expect(run.stdout).to.include(`usage:`).and.include(usage);
          expect(stderrOf(run)).to.equal('');
        });
      }

      it('exits 2 with the usage on stderr for an unknown option', async () => {
        const run = await npmRun(script, ['--bogus']);

        expect(run.code, run.output).to.equal(2);
        expect(run.stdout).to.equal('');
        expect(stderrOf(run)).to.include("Unknown option '--bogus'").and.include('usage:').and.include(usage);
      });

      it(`exits 2 with the usage on stderr for ${misuse.join(' ')}`, async () => {
        const run = await npmRun(script, misuse);

        expect(run.code, run.output).to.equal(2);
        expect(run.stdout).to.equal('');
        expect(stderrOf(run)).to.include(reason).and.include('usage:').and.include(usage);
      });
    });
  }
});
