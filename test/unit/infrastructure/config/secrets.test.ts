import { expect } from 'chai';
import { ConfigError, parseConfig, parseSecretSettings } from '../../../../src/infrastructure/config.js';
import { thrownBy } from '../../../support/rejection.js';

describe('secret settings', () => {
  it('default to environment secrets for the dev stage, its tree under /dev/, refreshed every 5 minutes', () => {
    expect(parseSecretSettings({})).to.deep.equal({
      source: 'env',
      stage: 'dev',
      prefix: '/dev/',
      ttlSeconds: 300,
      region: undefined,
    });
  });

  it('derive the SSM prefix from the stage unless SSM_PREFIX says otherwise', () => {
    expect(parseSecretSettings({ SECRETS_SOURCE: 'ssm', STAGE: 'qa' }).prefix).to.equal('/qa/');
    expect(parseSecretSettings({ STAGE: 'qa', SSM_PREFIX: '/portico/qa/' }).prefix).to.equal('/portico/qa/');
  });

  it('name every bad setting', () => {
    const error = thrownBy(() =>
      parseSecretSettings({ SECRETS_SOURCE: 'vault', STAGE: 'staging', SSM_PREFIX: 'qa', SECRETS_TTL_S: '5' }),
    );
    expect(error).to.be.instanceOf(ConfigError);
    for (const name of ['SECRETS_SOURCE', 'STAGE', 'SSM_PREFIX', 'SECRETS_TTL_S'])
      expect(error.message).to.include(name);
  });

  it('are read before the rest, which may still be wrong or come from the stage tree', () => {
    expect(parseSecretSettings({ STAGE: 'qa', DB_PORT: 'port-seventy', NODE_ENV: 'production' }).prefix).to.equal(
      '/qa/',
    );
  });

  it('are part of the whole config, with the optional Stripe key', () => {
    const config = parseConfig({
      SECRETS_SOURCE: 'ssm',
      STAGE: 'prod',
      AWS_REGION: 'eu-west-1',
      STRIPE_KEY: 'sk_live_x',
    });
    expect(config.secrets).to.deep.equal({
      source: 'ssm',
      stage: 'prod',
      prefix: '/prod/',
      ttlSeconds: 300,
      region: 'eu-west-1',
    });
    expect(config.stripe.key).to.equal('sk_live_x');
  });
});
