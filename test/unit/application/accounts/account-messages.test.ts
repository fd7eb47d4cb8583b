import { expect } from 'chai';
import {
  appLink,
  confirmEmailChangeMessage,
  emailChangeNoticeMessage,
  resetPasswordMessage,
  verifyEmailMessage,
} from '../../../../src/application/accounts/account-messages.js';

const BASE = 'https://app.example.com';

describe('account messages', () => {
  it('build a link from the base, the path and the token as the only query parameter', () => {
    expect(appLink(BASE, 'verify-email', 've_abc')).to.equal('https://app.example.com/verify-email?token=ve_abc');
    expect(appLink('https://example.com/app', 'reset-password', 'x')).to.equal(
      'https://example.com/app/reset-password?token=x',
    );
  });

  it('URL-encode the token, so no character of it can end the parameter or start another', () => {
    const link = appLink(BASE, 'confirm-email', 'a b&c=d/e+f?g#h%');
    expect(link).to.equal('https://app.example.com/confirm-email?token=a%20b%26c%3Dd%2Fe%2Bf%3Fg%23h%25');
    expect(new URL(link).searchParams.get('token')).to.equal('a b&c=d/e+f?g#h%');
    expect([...new URL(link).searchParams.keys()]).to.deep.equal(['token']);
  });

  it('address each message to the given address and carry the link whole', () => {
    const link = appLink(BASE, 'verify-email', 've_1');
    for (const message of [
      verifyEmailMessage('a@example.com', link, 86_400),
      resetPasswordMessage('a@example.com', link, 1_800),
      confirmEmailChangeMessage('a@example.com', link, 86_400),
    ]) {
      expect(message.to).to.equal('a@example.com');
      expect(message.subject).to.be.a('string').and.not.equal('');
      expect(message.text.split('\n')).to.include(link);
    }
  });

  it('say how long the link lasts: hours, one hour, minutes under an hour, one decimal otherwise', () => {
    const lasts = (ttl: number) => verifyEmailMessage('a@example.com', 'L', ttl).text;
    expect(lasts(86_400)).to.include('expires in 24 hours.');
    expect(lasts(3_600)).to.include('expires in 1 hour.');
    expect(lasts(7_200)).to.include('expires in 2 hours.');
    expect(lasts(5_400)).to.include('expires in 1.5 hours.');
    expect(lasts(1_800)).to.include('expires in 30 minutes.');
    expect(lasts(300)).to.include('expires in 5 minutes.');
    expect(resetPasswordMessage('a@example.com', 'L', 1_800).text).to.include('expires in 30 minutes.');
    expect(confirmEmailChangeMessage('a@example.com', 'L', 86_400).text).to.include('expires in 24 hours.');
  });

  it('never write a whole number of hours with a ".0" (a TTL just over an hour)', () => {
    // EMAIL_VERIFY_TTL_S accepts 3660 and 7190; those read "1.0 hours" and "2.0 hours" today.
    expect(verifyEmailMessage('a@example.com', 'L', 3_660).text).to.not.match(/\d\.0 hours/);
    expect(verifyEmailMessage('a@example.com', 'L', 7_190).text).to.not.match(/\d\.0 hours/);
  });

  it('tell the old address which new address was asked for, and carry no link', () => {
    const notice = emailChangeNoticeMessage('old@example.com', 'new@example.com');
    expect(notice.to).to.equal('old@example.com');
    expect(notice.text).to.include('new@example.com');
    expect(notice.text).to.not.include('token=');
  });
});
