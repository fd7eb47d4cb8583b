import { Readable } from 'node:stream';
import { expect } from 'chai';
import nock from 'nock';
import { createSsmClient } from '../../../src/adapters/secrets/ssm-secret-store.js';
import { secretsCli } from '../../../src/infrastructure/cli/secrets.js';

const REGION = 'eu-west-1';
const ENDPOINT = `https://ssm.${REGION}.amazonaws.com`;
const JSON_1_1 = { 'content-type': 'application/x-amz-json-1.1' };
const client = () => createSsmClient({ region: REGION, credentials: { accessKeyId: 'AKIDTESTONLY', secretAccessKey: 'test-only' }, maxAttempts: 1 });

function anIo(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdin: Readable.from([stdin]), stdinIsTty: false, out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('npm run secrets (SSM JSON protocol over nock)', () => {
  before(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  });
  afterEach(() => nock.cleanAll());
  after(() => nock.enableNetConnect());

  it('check lists which required parameters of the stage exist and which are missing, by name only', async () => {
    let path: unknown;
    nock(ENDPOINT, { reqheaders: { 'x-amz-target': 'AmazonSSM.GetParametersByPath' } })
      .post('/', (body: { Path: string }) => ((path = body.Path), true))
      .reply(200, { Parameters: [{ Name: '/qa/DB_HOST', Value: 'db.qa.internal' }, { Name: '/qa/JWT_PRIVATE_KEY', Value: 'pem-qa-1' }, { Name: '/qa/DB_NAME', Value: 'portico_qa' }] }, JSON_1_1);
    const { io, out } = anIo();

    const code = await secretsCli(['check', '--stage', 'qa'], { DB_DRIVER: 'postgres', SSM_PREFIX: '/dev/' }, io, client());

    expect(code).to.equal(1);
    expect(path).to.equal('/qa');
    expect(out).to.include.members(['  present  DB_HOST', '  MISSING  DB_USER', '  MISSING  DB_PASSWORD', '  present  JWT_PRIVATE_KEY', '  MISSING  STRIPE_KEY', '  also present: DB_NAME']);
    expect(out.join('\n')).to.not.include('db.qa.internal').and.not.include('pem-qa-1').and.not.include('portico_qa');
  });

  it('put stores the value read from stdin as a SecureString, overwriting, and prints no value', async () => {
    let request: unknown;
    nock(ENDPOINT, { reqheaders: { 'x-amz-target': 'AmazonSSM.PutParameter' } })
      .post('/', (body: unknown) => ((request = body), true))
      .reply(200, { Version: 3, Tier: 'Standard' }, JSON_1_1);
    const { io, out } = anIo('sk_live_from_stdin_2c\n');

    const code = await secretsCli(['put', '--stage', 'dev', 'STRIPE_KEY'], {}, io, client());

    expect(code).to.equal(0);
    expect(request).to.deep.equal({ Name: '/dev/STRIPE_KEY', Value: 'sk_live_from_stdin_2c', Type: 'SecureString', Overwrite: true });
    expect(out).to.deep.equal(['stored /dev/STRIPE_KEY as a SecureString (version 3)']);
  });

  it('put refuses an empty value and a name that is not one, without calling SSM', async () => {
    const empty = anIo('\n');
    expect(await secretsCli(['put', 'STRIPE_KEY'], {}, empty.io, client())).to.equal(2);
    expect(empty.err.join('')).to.include('empty');
    const badName = anIo('value');
    // No interceptor is set and the network is off: reaching SSM would reject instead of answering 2.
    expect(await secretsCli(['put', '../prod/STRIPE_KEY'], {}, badName.io, client())).to.equal(2);
  });
});
