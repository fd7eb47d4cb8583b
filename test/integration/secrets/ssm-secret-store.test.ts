import { expect } from 'chai';
import nock from 'nock';
import { createSsmClient, SecretStoreUnavailableError, SsmSecretStore } from '../../../src/adapters/secrets/ssm-secret-store.js';
import { rejectionOf } from '../../support/rejection.js';

const REGION = 'eu-west-1';
const ENDPOINT = `https://ssm.${REGION}.amazonaws.com`;
const JSON_1_1 = { 'content-type': 'application/x-amz-json-1.1' };
const credentials = { accessKeyId: 'AKIDTESTONLY', secretAccessKey: 'test-only-secret' };
const aStore = (maxAttempts = 4) => new SsmSecretStore(createSsmClient({ region: REGION, credentials, maxAttempts }), '/qa/');

const parameter = (name: string, value: string) => ({ Name: name, Type: 'SecureString', Value: value, Version: 1 });

const throttled = { __type: 'ThrottlingException', message: 'Rate exceeded' };

// SSM's JSON 1.1 protocol: every operation is a POST / naming itself in X-Amz-Target.
describe('SsmSecretStore (SSM JSON protocol over nock)', () => {
  before(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  });
  afterEach(() => nock.cleanAll());
  after(() => nock.enableNetConnect());

  it('reads the whole stage tree, recursive and decrypted, over every page, with names relative to the prefix', async () => {
    const bodies: Array<Record<string, unknown>> = [];
    const pages = [
      { Parameters: [parameter('/qa/DB_HOST', 'db.qa.internal'), parameter('/qa/DB_USER', 'portico')], NextToken: 'page-2' },
      { Parameters: [parameter('/qa/DB_PASSWORD', 'pw-9c1')], NextToken: 'page-3' },
      { Parameters: [parameter('/qa/JWT_PRIVATE_KEY', 'pem-77a'), parameter('/qa/billing/STRIPE_KEY', 'sk-3f0')] },
    ];
    const scope = nock(ENDPOINT, { reqheaders: { 'x-amz-target': 'AmazonSSM.GetParametersByPath', ...JSON_1_1 } })
      .post('/', (body: Record<string, unknown>) => (bodies.push(body), true))
      .times(3)
      .reply(200, () => pages[bodies.length - 1], JSON_1_1);

    const values = await aStore().load();

    expect(values).to.deep.equal({ DB_HOST: 'db.qa.internal', DB_USER: 'portico', DB_PASSWORD: 'pw-9c1', JWT_PRIVATE_KEY: 'pem-77a', 'billing/STRIPE_KEY': 'sk-3f0' });
    expect(bodies).to.deep.equal([
      { Path: '/qa', Recursive: true, WithDecryption: true },
      { Path: '/qa', Recursive: true, WithDecryption: true, NextToken: 'page-2' },
      { Path: '/qa', Recursive: true, WithDecryption: true, NextToken: 'page-3' },
    ]);
    expect(scope.isDone()).to.equal(true);
  });

  it('retries throttling with backoff, then succeeds', async () => {
    const attempts: string[] = [];
    const scope = nock(ENDPOINT, { reqheaders: { 'x-amz-target': 'AmazonSSM.GetParametersByPath' } })
      .post('/')
      .times(2)
      .reply(function () {
        attempts.push(String(this.req.headers['amz-sdk-request']));
        return [400, throttled, JSON_1_1];
      })
      .post('/')
      .reply(function () {
        attempts.push(String(this.req.headers['amz-sdk-request']));
        return [200, { Parameters: [parameter('/qa/DB_HOST', 'db.qa.internal')] }, JSON_1_1];
      });

    expect(await aStore().load()).to.deep.equal({ DB_HOST: 'db.qa.internal' });
    expect(attempts).to.deep.equal(['attempt=1; max=4', 'attempt=2; max=4', 'attempt=3; max=4']);
    expect(scope.isDone()).to.equal(true);
  });

  it('gives up once throttling outlasts the attempts, naming the path and the error', async () => {
    const scope = nock(ENDPOINT).post('/').times(2).reply(400, throttled, JSON_1_1);
    const error = await rejectionOf(aStore(2).load());
    expect(error).to.be.instanceOf(SecretStoreUnavailableError);
    expect(error.message).to.equal('cannot read SSM parameters under /qa/: ThrottlingException: Rate exceeded');
    expect(scope.isDone()).to.equal(true);
  });

  it('fails clearly and at once when access is denied', async () => {
    const denied = {
      __type: 'AccessDeniedException',
      message: 'User: arn:aws:sts::123456789012:assumed-role/portico-qa/i-0abc is not authorized to perform: ssm:GetParametersByPath',
    };
    const scope = nock(ENDPOINT).post('/').once().reply(400, denied, JSON_1_1);
    const error = await rejectionOf(aStore().load());
    expect(error).to.be.instanceOf(SecretStoreUnavailableError);
    expect(error.message).to.include('/qa/').and.include('AccessDeniedException').and.include('ssm:GetParametersByPath');
    expect((error.cause as Error).name).to.equal('AccessDeniedException');
    expect(scope.isDone()).to.equal(true);
  });

  it('goes wherever AWS_ENDPOINT_URL_SSM points, unchanged', async () => {
    process.env.AWS_ENDPOINT_URL_SSM = 'https://ssm.internal.example';
    try {
      const scope = nock('https://ssm.internal.example', { reqheaders: { 'x-amz-target': 'AmazonSSM.GetParametersByPath' } })
        .post('/')
        .reply(200, { Parameters: [parameter('/qa/STRIPE_KEY', 'sk-1')] }, JSON_1_1);
      expect(await aStore().load()).to.deep.equal({ STRIPE_KEY: 'sk-1' });
      expect(scope.isDone()).to.equal(true);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SSM;
    }
  });
});
