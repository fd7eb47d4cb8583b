import { expect } from 'chai';
import { parseConfig } from '../../../../src/infrastructure/config.js';
import { configErrorOf } from '../../../support/config-error-of.js';

describe('config: WEBAUTHN_*', () => {
  it('derives the RP ID and the one expected origin from PUBLIC_APP_URL', () => {
    expect(parseConfig({ PUBLIC_APP_URL: 'https://app.example.com/portal/' }).webauthn).to.deep.equal({
      rpId: 'app.example.com',
      origins: ['https://app.example.com'],
      rpName: 'Portico',
      challengeTtlSeconds: 300,
    });
    expect(parseConfig({}).webauthn).to.deep.include({ rpId: 'localhost', origins: ['http://localhost:3000'] });
  });

  it('takes a parent domain as RP ID and several origins under it', () => {
    const { webauthn } = parseConfig({
      PUBLIC_APP_URL: 'https://app.example.com',
      WEBAUTHN_RP_ID: 'Example.com',
      WEBAUTHN_ORIGINS: 'https://app.example.com, https://admin.example.com',
      WEBAUTHN_RP_NAME: 'Example',
      WEBAUTHN_CHALLENGE_TTL_S: '120',
    });
    expect(webauthn).to.deep.equal({
      rpId: 'example.com',
      origins: ['https://app.example.com', 'https://admin.example.com'],
      rpName: 'Example',
      challengeTtlSeconds: 120,
    });
  });

  it('refuses an origin off the RP ID, a malformed origin or RP ID, and a lifetime out of range', () => {
    expect(
      configErrorOf({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://example.org' }).problems,
    ).to.deep.equal([
      'WEBAUTHN_RP_ID: every expected origin (WEBAUTHN_ORIGINS, else PUBLIC_APP_URL) must be on this domain or under it',
    ]);
    expect(
      configErrorOf({ PUBLIC_APP_URL: 'https://app.example.com', WEBAUTHN_RP_ID: 'other.com' }).problems,
    ).to.have.length(1);
    const names = configErrorOf({
      WEBAUTHN_RP_ID: 'https://example.com',
      WEBAUTHN_ORIGINS: 'https://example.com/path',
      WEBAUTHN_CHALLENGE_TTL_S: '5',
    }).problems.map((p) => p.split(':')[0]);
    expect(names).to.have.members(['WEBAUTHN_RP_ID', 'WEBAUTHN_ORIGINS', 'WEBAUTHN_CHALLENGE_TTL_S']);
  });
});
