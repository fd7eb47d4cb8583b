import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { parseConfig } from '../../../../src/infrastructure/config.js';
import { configErrorOf, namesRefused } from '../../../support/config-error-of.js';

const aKey = (bytes = 32) => randomBytes(bytes).toString('base64');
const PROD = { NODE_ENV: 'production', JWT_PRIVATE_KEY: 'pem' };
const accountsOf = (env: Record<string, string>) => parseConfig(env).accounts;

describe('accounts settings', () => {
  it('default to a local client app, day-long links, a short reset and throttles like the login one', () => {
    expect(accountsOf({})).to.deep.equal({
      publicAppUrl: 'http://localhost:3000',
      requireVerifiedEmail: false,
      ttlSeconds: { verifyEmail: 86_400, resetPassword: 1_800, changeEmail: 86_400, mfaChallenge: 300 },
      responseFloorMs: 250,
      mailThrottle: { perAccount: 3, perClient: 20, windowSeconds: 3_600 },
      mfaThrottle: { perAccount: 5, perClient: 20, windowSeconds: 900 },
      totpIssuer: 'Portico',
      deletedUsers: { restoreDays: 30, purgeIntervalSeconds: 3_600 },
      encryptionKeys: [],
    });
  });

  it('read each setting', () => {
    const keys = [aKey(), aKey()];
    const env = {
      PUBLIC_APP_URL: 'https://app.example.com/portal',
      REQUIRE_VERIFIED_EMAIL: 'true',
      EMAIL_VERIFY_TTL_S: '3600',
      PASSWORD_RESET_TTL_S: '600',
      EMAIL_CHANGE_TTL_S: '7200',
      MFA_CHALLENGE_TTL_S: '120',
      ACCOUNT_RESPONSE_FLOOR_MS: '0',
      ACCOUNT_MAIL_MAX_PER_ADDRESS: '2',
      ACCOUNT_MAIL_MAX_PER_CLIENT: '50',
      ACCOUNT_MAIL_WINDOW_S: '600',
      MFA_MAX_FAILURES: '3',
      MFA_THROTTLE_WINDOW_S: '300',
      TOTP_ISSUER: 'Acme Corp',
      USER_RESTORE_DAYS: '7',
      USER_PURGE_INTERVAL_SECONDS: '600',
      MFA_ENCRYPTION_KEY: ` ${keys[0]} , ${keys[1]} `,
    };
    expect(accountsOf(env)).to.deep.equal({
      publicAppUrl: 'https://app.example.com/portal',
      requireVerifiedEmail: true,
      ttlSeconds: { verifyEmail: 3_600, resetPassword: 600, changeEmail: 7_200, mfaChallenge: 120 },
      responseFloorMs: 0,
      mailThrottle: { perAccount: 2, perClient: 50, windowSeconds: 600 },
      mfaThrottle: { perAccount: 3, perClient: 12, windowSeconds: 300 },
      totpIssuer: 'Acme Corp',
      deletedUsers: { restoreDays: 7, purgeIntervalSeconds: 600 },
      encryptionKeys: keys,
    });
    // 0: no restore at all / no purge in this process.
    expect(accountsOf({ USER_RESTORE_DAYS: '0', USER_PURGE_INTERVAL_SECONDS: '0' }).deletedUsers).to.deep.equal({
      restoreDays: 0,
      purgeIntervalSeconds: 0,
    });
    expect(accountsOf({ REQUIRE_VERIFIED_EMAIL: '1' }).requireVerifiedEmail).to.equal(true);
    expect(accountsOf({ REQUIRE_VERIFIED_EMAIL: 'false' }).requireVerifiedEmail).to.equal(false);
  });

  it('store PUBLIC_APP_URL without a trailing slash', () => {
    expect(accountsOf({ PUBLIC_APP_URL: 'https://app.example.com/' }).publicAppUrl).to.equal('https://app.example.com');
    expect(accountsOf({ PUBLIC_APP_URL: 'https://app.example.com/a/b//' }).publicAppUrl).to.equal(
      'https://app.example.com/a/b',
    );
    expect(accountsOf({ PUBLIC_APP_URL: 'HTTP://App.Example.com:8080' }).publicAppUrl).to.equal(
      'http://app.example.com:8080',
    );
  });

  it('refuse a PUBLIC_APP_URL that is not http(s), or has a query or a fragment', () => {
    for (const url of [
      'app.example.com',
      'ftp://app.example.com',
      'javascript:alert(1)',
      'https://app.example.com/?next=1',
      'https://app.example.com/?',
      'https://app.example.com/#/home',
    ])
      expect(namesRefused({ PUBLIC_APP_URL: url }), url).to.deep.equal(['PUBLIC_APP_URL']);
  });

  it('refuse values out of range, by name', () => {
    const env = {
      REQUIRE_VERIFIED_EMAIL: 'yes',
      EMAIL_VERIFY_TTL_S: '10',
      PASSWORD_RESET_TTL_S: '172800',
      EMAIL_CHANGE_TTL_S: 'a day',
      MFA_CHALLENGE_TTL_S: '0',
      ACCOUNT_RESPONSE_FLOOR_MS: '5001',
      ACCOUNT_MAIL_MAX_PER_ADDRESS: '0',
      ACCOUNT_MAIL_MAX_PER_CLIENT: '-1',
      ACCOUNT_MAIL_WINDOW_S: '1.5',
      MFA_MAX_FAILURES: '0',
      MFA_THROTTLE_WINDOW_S: '86401',
      TOTP_ISSUER: 'Acme:Corp',
      USER_RESTORE_DAYS: '-1',
      USER_PURGE_INTERVAL_SECONDS: '604801',
    };
    expect(namesRefused(env)).to.have.members(Object.keys(env));
    expect(namesRefused({ USER_RESTORE_DAYS: 'a month', USER_PURGE_INTERVAL_SECONDS: '1.5' })).to.have.members([
      'USER_RESTORE_DAYS',
      'USER_PURGE_INTERVAL_SECONDS',
    ]);
    expect(namesRefused({ TOTP_ISSUER: '   ' })).to.deep.equal(['TOTP_ISSUER']);
  });

  it('refuse an encryption key that is not 32 bytes of base64, naming MFA_ENCRYPTION_KEY and never the value', () => {
    const good = aKey();
    for (const bad of [aKey(16), aKey(33), 'not base64 at all, not at all!!', randomBytes(32).toString('hex')]) {
      for (const value of [bad, `${good},${bad}`]) {
        const error = configErrorOf({ MFA_ENCRYPTION_KEY: value });
        expect(error.problems.map((p) => p.split(':')[0])).to.deep.equal(['MFA_ENCRYPTION_KEY']);
        expect(error.message).to.not.include(bad).and.not.include(good);
      }
    }
    expect(namesRefused({ MFA_ENCRYPTION_KEY: ' , ' })).to.deep.equal(['MFA_ENCRYPTION_KEY']);
    expect(accountsOf({ MFA_ENCRYPTION_KEY: good.replace(/=+$/, '') }).encryptionKeys).to.have.length(1);
  });

  it('require PUBLIC_APP_URL and MFA_ENCRYPTION_KEY in production, and take them from there', () => {
    expect(namesRefused(PROD)).to.have.members(['PUBLIC_APP_URL', 'MFA_ENCRYPTION_KEY']);
    const key = aKey();
    expect(namesRefused({ ...PROD, PUBLIC_APP_URL: 'https://app.example.com' })).to.deep.equal(['MFA_ENCRYPTION_KEY']);
    expect(namesRefused({ ...PROD, MFA_ENCRYPTION_KEY: key })).to.deep.equal(['PUBLIC_APP_URL']);
    const prod = accountsOf({ ...PROD, PUBLIC_APP_URL: 'https://app.example.com/', MFA_ENCRYPTION_KEY: key });
    expect(prod).to.include({ publicAppUrl: 'https://app.example.com' });
    expect(prod.encryptionKeys).to.deep.equal([key]);
  });

  it('name a bad key once in production, not as missing too', () => {
    const bad = aKey(16);
    const error = configErrorOf({ ...PROD, PUBLIC_APP_URL: 'https://app.example.com', MFA_ENCRYPTION_KEY: bad });
    expect(error.problems).to.have.length(1);
    expect(error.problems[0])
      .to.match(/^MFA_ENCRYPTION_KEY: /)
      .and.not.include(bad);
  });
});
