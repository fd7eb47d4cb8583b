import { expect } from 'chai';
import nock from 'nock';
import {
  createSsmClient,
  SecretStoreUnavailableError,
  SsmSecretStore,
} from '../../../src/adapters/secrets/ssm-secret-store.js';
import { rejectionOf } from '../../support/rejection.js';

const REGION = 'eu-west-1';
const ENDPOINT = `https://ssm.${REGION}.amazonaws.com`;
const JSON_1_1 = { 'content-type': 'application/x-amz-json-1.1' };
const credentials = { accessKeyId: 'AKIDTESTONLY', secretAccessKey: 'test-only-secret' };
const aStore = (maxAttempts = 4) =>
  new SsmSecretStore(createSsmClient({ region: REGION, credentials, maxAttempts }), '/qa/');

const parameter = (name: string, value: string) => ({ Name: name, Type: 'SecureString', Value: value, Version: 1 });

const throttled = { __type: 'ThrottlingException', message: 'Rate exceeded' };

// moto never throttles and checks no IAM policy, so these two answers are played over nock (SSM's JSON 1.1
// protocol: every operation is a POST / naming itself in X-Amz-Target). Everything else runs on moto.
describe('SsmSecretStore when SSM throttles or denies access (over nock)', () => {
  before(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  });
  afterEach(() => nock.cleanAll());
  after(() => nock.enableNetConnect());

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
      message:
        'User: arn:aws:sts::123456789012:assumed-role/portico-qa/i-0abc is not authorized to perform: ssm:GetParametersByPath',
    };
    const scope = nock(ENDPOINT).post('/').once().reply(400, denied, JSON_1_1);
    const error = await rejectionOf(aStore().load());
    expect(error).to.be.instanceOf(SecretStoreUnavailableError);
    expect(error.message)
      .to.include('/qa/')
      .and.include('AccessDeniedException')
      .and.include('ssm:GetParametersByPath');
    expect((error.cause as Error).name).to.equal('AccessDeniedException');
    expect(scope.isDone()).to.equal(true);
  });
});
