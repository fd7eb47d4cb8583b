import { expect } from 'chai';
import sinon from 'sinon';
import { ConfigError } from '../../../src/infrastructure/config.js';
import { configFromStageTree } from '../../../src/infrastructure/load-config.js';
import { newPrivateKeyPem } from '../../support/fakes.js';
import { rejectionOf } from '../../support/rejection.js';
import { stubSecretStore } from '../../support/stubs.js';

const PEM = newPrivateKeyPem();
const aTree = (overrides: Record<string, string> = {}) => ({
  DB_HOST: 'db.qa.internal',
  DB_USER: 'portico_qa',
  DB_PASSWORD: 'pw-from-ssm-7f3a',
  JWT_PRIVATE_KEY: PEM,
  STRIPE_KEY: 'sk_test_from_ssm_91c2',
  MFA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  ...overrides,
});
const postgres = { DB_DRIVER: 'postgres', NODE_ENV: 'production', PUBLIC_APP_URL: 'https://app.qa.example' };

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await rejectionOf(promise);
  expect(error).to.be.instanceOf(ConfigError);
  return error as ConfigError;
}

describe('configFromStageTree (interactions with a SecretStore)', () => {
  afterEach(() => sinon.restore());

  it('reads the tree once and lets it win over the environment for the names it has', async () => {
    const store = stubSecretStore();
    store.load.resolves(aTree({ DB_PORT: '6543' }));
    const config = await configFromStageTree(
      { ...postgres, DB_HOST: 'localhost', DB_NAME: 'portico_qa' },
      store,
      '/qa/',
    );
    sinon.assert.calledOnce(store.load);
    expect(config.db).to.include({
      driver: 'postgres',
      host: 'db.qa.internal',
      port: 6543,
      user: 'portico_qa',
      password: 'pw-from-ssm-7f3a',
      name: 'portico_qa',
    });
    expect(config.jwt.privateKey).to.equal(PEM);
    expect(config.stripe.key).to.equal('sk_test_from_ssm_91c2');
  });

  it('names every missing required parameter at once and prints no value', async () => {
    const store = stubSecretStore();
    store.load.resolves({ DB_USER: 'portico_qa', JWT_PRIVATE_KEY: PEM });
    const error = await configError(configFromStageTree(postgres, store, '/qa/'));
    expect(error.problems.map((p) => p.split(':')[0])).to.include.members(['DB_HOST', 'DB_PASSWORD', 'STRIPE_KEY']);
    expect(error.message)
      .to.include('/qa/')
      .and.not.include('DB_USER')
      .and.not.include('portico_qa')
      .and.not.include('PRIVATE KEY-----');
  });

  it('counts a required parameter found only in the environment as missing from the stage', async () => {
    const store = stubSecretStore();
    const { STRIPE_KEY: _absent, ...tree } = aTree();
    store.load.resolves(tree);
    const error = await configError(
      configFromStageTree({ ...postgres, STRIPE_KEY: 'sk_from_env_4d1e' }, store, '/prod/'),
    );
    expect(error.problems).to.deep.equal(['STRIPE_KEY: required parameter missing from SSM under /prod/']);
    expect(error.message).to.not.include('sk_from_env_4d1e');
  });

  it('does not ask for database credentials when the database is not PostgreSQL', async () => {
    const store = stubSecretStore();
    store.load.resolves({ JWT_PRIVATE_KEY: PEM, STRIPE_KEY: 'sk_test_1' });
    const config = await configFromStageTree({ DB_DRIVER: 'memory' }, store, '/dev/');
    expect(config.db.driver).to.equal('memory');
  });

  it('asks the tree for the SMTP secret with MAIL_DRIVER=smtp: SMTP_URL, or SMTP_PASSWORD beside SMTP_HOST', async () => {
    const store = stubSecretStore();
    const smtp = { ...postgres, MAIL_DRIVER: 'smtp', MAIL_FROM: 'Portico <no-reply@example.com>' };
    store.load.resolves(aTree());
    const byUrl = await configError(configFromStageTree(smtp, store, '/qa/'));
    expect(byUrl.problems[0]).to.equal('SMTP_URL: required parameter missing from SSM under /qa/');
    const env = { ...smtp, SMTP_HOST: 'mail.qa.internal', SMTP_USER: 'portico', SMTP_PASSWORD: 'smtp-pw-from-env-2b7' };
    const byParts = await configError(configFromStageTree(env, store, '/qa/'));
    expect(byParts.problems).to.deep.equal(['SMTP_PASSWORD: required parameter missing from SSM under /qa/']);
    expect(byParts.message).to.not.include('smtp-pw-from-env-2b7');
    store.load.resolves(aTree({ SMTP_URL: 'smtps://portico:smtp-pw-9c4@mail.qa.internal' }));
    const config = await configFromStageTree(smtp, store, '/qa/');
    expect(config.mail.smtp.url).to.equal('smtps://portico:smtp-pw-9c4@mail.qa.internal');
  });

  it('reports bad values from the tree together with the missing ones, by name only', async () => {
    const store = stubSecretStore();
    const { STRIPE_KEY: _absent, ...tree } = aTree({
      DB_PORT: 'port-seventy',
      JWT_ACCESS_TTL_S: '5',
      ADMIN_EMAIL: 'not-an-email-9a',
    });
    store.load.resolves(tree);
    const error = await configError(configFromStageTree(postgres, store, '/qa/'));
    for (const name of ['STRIPE_KEY', 'DB_PORT', 'JWT_ACCESS_TTL_S', 'ADMIN_EMAIL'])
      expect(error.message).to.include(name);
    for (const value of ['port-seventy', 'not-an-email-9a', 'pw-from-ssm-7f3a'])
      expect(error.message).to.not.include(value);
  });

  it('stops with every required name when the tree cannot be read at all', async () => {
    const store = stubSecretStore();
    store.load.rejects(new Error('cannot read SSM parameters under /qa/: AccessDeniedException'));
    const error = await configError(configFromStageTree(postgres, store, '/qa/'));
    expect(error.message).to.include('AccessDeniedException');
    for (const name of ['DB_HOST', 'DB_USER', 'DB_PASSWORD', 'JWT_PRIVATE_KEY', 'STRIPE_KEY'])
      expect(error.message).to.include(name);
  });
});
