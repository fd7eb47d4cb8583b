import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { DeleteParameterCommand, GetParameterCommand, GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import { expect } from 'chai';
import { secretsCli } from '../../../src/infrastructure/cli/secrets.js';
import { newPrivateKeyPem } from '../../support/fakes.js';
import { motoEnv } from '../../support/moto.js';
import { putTree, useSsmTree } from '../../support/ssm-trees.js';
import { startChild } from '../../support/start-child.js';

const aRange = (n: number) => Array.from({ length: n }, (_, i) => String(i).padStart(2, '0'));

function anIo(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdin: Readable.from([stdin]),
    stdinIsTty: false,
    out: (l: string) => out.push(l),
    err: (l: string) => err.push(l),
  };
  return { io, out, err };
}

describe('npm run secrets on moto', function () {
  const tree = useSsmTree();

  /** `npm run secrets -- ...` as an operator types it, pointed at moto by the AWS settings alone. */
  const npmRunSecrets = (args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) =>
    startChild(
      'npm',
      ['run', '--silent', 'secrets', '--', ...args],
      { ...motoEnv(tree.moto), ...options.env },
      { stdin: options.stdin },
    ).finished;
  const stored = async (name: string) =>
    (await tree.ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter;
  const namesUnder = async (prefix: string) =>
    (
      (await tree.ssm.send(new GetParametersByPathCommand({ Path: prefix.slice(0, -1), Recursive: true })))
        .Parameters ?? []
    ).map((p) => p.Name);

  describe('put', () => {
    it('stores the value piped in as a SecureString; a second put overwrites it under the next version', async () => {
      const prefix = `${tree.root}put/`;

      const first = await npmRunSecrets(['put', '--prefix', prefix, 'STRIPE_KEY'], { stdin: 'sk_live_first_2c\n' });
      expect(first.code).to.equal(0);
      expect(first.stdout).to.equal(`stored ${prefix}STRIPE_KEY as a SecureString (version 1)\n`);
      expect(await stored(`${prefix}STRIPE_KEY`)).to.include({
        Value: 'sk_live_first_2c',
        Type: 'SecureString',
        Version: 1,
      });

      const second = await npmRunSecrets(['put', '--prefix', prefix, 'STRIPE_KEY'], { stdin: 'sk_live_second_9d' });
      expect(second.code).to.equal(0);
      expect(second.stdout).to.equal(`stored ${prefix}STRIPE_KEY as a SecureString (version 2)\n`);
      expect(await stored(`${prefix}STRIPE_KEY`)).to.include({
        Value: 'sk_live_second_9d',
        Type: 'SecureString',
        Version: 2,
      });
      expect(first.output + second.output).to.not.include('sk_live_');
    });

    it('keeps a multi-line PEM whole, dropping only the one trailing newline', async () => {
      const pem = newPrivateKeyPem();
      const { io, out } = anIo(pem);

      expect(await secretsCli(['put', '--prefix', `${tree.root}pem/`, 'JWT_PRIVATE_KEY'], {}, io, tree.ssm)).to.equal(
        0,
      );

      expect((await stored(`${tree.root}pem/JWT_PRIVATE_KEY`))?.Value)
        .to.equal(pem.replace(/\n$/, ''))
        .and.include('\n');
      expect(out.join('\n')).to.not.include(pem.split('\n')[1]);
    });

    it('refuses an empty value and a name that is not one, storing nothing', async () => {
      const prefix = `${tree.root}refused/`;
      const empty = anIo('\n');
      expect(await secretsCli(['put', '--prefix', prefix, 'STRIPE_KEY'], {}, empty.io, tree.ssm)).to.equal(2);
      expect(empty.err.join('')).to.include('empty');
      // SSM itself takes `..` as two dots of a name: this one would land inside the tree.
      const badName = anIo('value');
      expect(await secretsCli(['put', '--prefix', prefix, '../refused/STRIPE_KEY'], {}, badName.io, tree.ssm)).to.equal(
        2,
      );
      expect(badName.err.join('')).to.include('not a parameter name');

      expect(await namesUnder(prefix)).to.deep.equal([]);
    });

    it('exits 1 naming the AWS error and no value when SSM refuses the name (the reserved /aws/ tree)', async () => {
      const { code, output } = await npmRunSecrets(['put', '--prefix', '/aws/', 'STRIPE_KEY'], {
        stdin: 'sk_live_reserved_77',
      });

      expect(code).to.equal(1);
      expect(output.trim()).to.equal('secrets: failed (AccessDeniedException)');
    });
  });

  describe('check', () => {
    it('lists each required parameter as present or MISSING and every other name, past the first page, exit 1', async () => {
      const prefix = `${tree.root}check-qa/`;
      const extras = Object.fromEntries(aRange(11).map((i) => [`FEATURE_${i}`, `feature-value-${i}`]));
      await putTree(tree.ssm, prefix, extras, 'String');
      await putTree(tree.ssm, prefix, {
        DB_HOST: 'db.qa.internal',
        JWT_PRIVATE_KEY: 'pem-qa-1',
        'db/NAME': 'portico_qa',
      });

      const { code, stdout } = await npmRunSecrets(['check', '--prefix', prefix], { env: { DB_DRIVER: 'postgres' } });

      expect(code).to.equal(1);
      expect(stdout.split('\n')).to.deep.equal([
        `${prefix} (required for DB_DRIVER=postgres)`,
        '  present  DB_HOST',
        '  MISSING  DB_USER',
        '  MISSING  DB_PASSWORD',
        '  present  JWT_PRIVATE_KEY',
        '  MISSING  STRIPE_KEY',
        `  also present: ${[...Object.keys(extras), 'db/NAME'].sort().join(', ')}`,
        '3 required parameter(s) missing',
        '',
      ]);
      expect(stdout).to.not.include('feature-value').and.not.include('db.qa.internal').and.not.include('pem-qa-1');
    });

    it('exits 0 when every required parameter is there, taking DB_DRIVER from the tree over the environment', async () => {
      const prefix = `${tree.root}check-complete/`;
      await putTree(tree.ssm, prefix, { DB_DRIVER: 'postgres' }, 'String');
      await putTree(tree.ssm, prefix, {
        DB_HOST: 'h',
        DB_USER: 'u',
        DB_PASSWORD: 'p',
        JWT_PRIVATE_KEY: 'k',
        STRIPE_KEY: 's',
      });
      const { io, out } = anIo();

      expect(await secretsCli(['check', '--prefix', prefix], { DB_DRIVER: 'sqlite' }, io, tree.ssm)).to.equal(0);

      expect(out[0]).to.equal(`${prefix} (required for DB_DRIVER=postgres)`);
      expect(out.at(-1)).to.equal('all required parameters present');
    });

    it("with --stage reads that stage's own tree, whatever SSM_PREFIX the shell carries", async () => {
      // The stage trees are fixed paths on the shared moto: only a name of this run's own is written there.
      const marker = `PORTICO_CLI_TEST_${randomBytes(4).toString('hex')}`;
      await putTree(tree.ssm, '/qa/', { [marker]: 'written-by-secrets-cli-test' }, 'String');
      await putTree(tree.ssm, `${tree.root}dev/`, { NOT_QA: 'x' }, 'String');
      try {
        const { io, out } = anIo();
        await secretsCli(['check', '--stage', 'qa'], { SSM_PREFIX: `${tree.root}dev/` }, io, tree.ssm);

        expect(out[0]).to.match(/^\/qa\/ \(required/);
        const others = out.find((line) => line.startsWith('  also present: ')) ?? '';
        expect(others.split(/: |, /)).to.include(marker).and.not.include('NOT_QA');
      } finally {
        await tree.ssm.send(new DeleteParameterCommand({ Name: `/qa/${marker}` }));
      }
    });
  });
});
