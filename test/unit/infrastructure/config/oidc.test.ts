import { expect } from 'chai';
import { parseConfig } from '../../../../src/infrastructure/config.js';
import { requiredSecretNames } from '../../../../src/infrastructure/load-config.js';
import { configErrorOf, namesRefused } from '../../../support/config-error-of.js';

const GOOGLE = {
  OIDC_GOOGLE_ISSUER: 'https://accounts.google.com',
  OIDC_GOOGLE_CLIENT_ID: 'portico.apps.googleusercontent.com',
  OIDC_GOOGLE_CLIENT_SECRET: 'google-secret',
};

describe('config: OIDC_*', () => {
  it('has no providers by default, a redirect base on the local port and the default lifetimes', () => {
    expect(parseConfig({ PORT: '8080' }).oidc).to.deep.equal({
      providers: [],
      redirectBaseUrl: 'http://localhost:8080',
      flowTtlSeconds: 600,
      codeTtlSeconds: 60,
      linkTtlSeconds: 300,
      timeoutSeconds: 5,
    });
  });

  it('reads each listed provider from the settings named after it, plain http only on loopback', () => {
    const { oidc } = parseConfig({
      OIDC_PROVIDERS: 'google, corp',
      ...GOOGLE,
      OIDC_CORP_ISSUER: 'http://127.0.0.1:4000/realms/corp',
      OIDC_CORP_CLIENT_ID: 'portico',
      OIDC_CORP_CLIENT_SECRET: 'corp-secret',
      OIDC_REDIRECT_BASE_URL: 'https://api.example.com/',
    });
    expect(oidc.providers).to.deep.equal([
      {
        name: 'google',
        issuer: GOOGLE.OIDC_GOOGLE_ISSUER,
        clientId: GOOGLE.OIDC_GOOGLE_CLIENT_ID,
        clientSecret: 'google-secret',
      },
      { name: 'corp', issuer: 'http://127.0.0.1:4000/realms/corp', clientId: 'portico', clientSecret: 'corp-secret' },
    ]);
    expect(oidc.redirectBaseUrl).to.equal('https://api.example.com');
  });

  it('names every missing or bad provider setting, never a value', () => {
    const error = configErrorOf({
      OIDC_PROVIDERS: 'google,corp',
      OIDC_GOOGLE_ISSUER: 'http://accounts.google.com',
      OIDC_GOOGLE_CLIENT_SECRET: 'do-not-print-me',
    });
    expect(error.problems.map((p) => p.split(':')[0])).to.have.members([
      'OIDC_GOOGLE_ISSUER',
      'OIDC_GOOGLE_CLIENT_ID',
      'OIDC_CORP_ISSUER',
      'OIDC_CORP_CLIENT_ID',
      'OIDC_CORP_CLIENT_SECRET',
    ]);
    expect(error.message).not.to.include('do-not-print-me');
    expect(namesRefused({ OIDC_PROVIDERS: 'Google' })).to.deep.equal(['OIDC_PROVIDERS.0']);
  });

  it('requires OIDC_REDIRECT_BASE_URL in production when providers are listed', () => {
    const production = { NODE_ENV: 'production', JWT_PRIVATE_KEY: 'x', PUBLIC_APP_URL: 'https://app.example.com' };
    expect(namesRefused({ ...production, OIDC_PROVIDERS: 'google', ...GOOGLE })).to.include('OIDC_REDIRECT_BASE_URL');
    expect(namesRefused(production)).not.to.include('OIDC_REDIRECT_BASE_URL');
  });

  it('requires each listed provider’s client secret in the SSM tree', () => {
    expect(requiredSecretNames({ OIDC_PROVIDERS: 'google, corp' })).to.include.members([
      'OIDC_GOOGLE_CLIENT_SECRET',
      'OIDC_CORP_CLIENT_SECRET',
    ]);
  });
});
