import path from 'node:path';
import { expect } from 'chai';
import { parseConfig } from '../../../../src/infrastructure/config.js';
import { configErrorOf, namesRefused } from '../../../support/config-error-of.js';

const PROD = {
  NODE_ENV: 'production',
  JWT_PRIVATE_KEY: 'k',
  PUBLIC_APP_URL: 'https://app.example.com',
  MFA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('mail settings', () => {
  it('default to the outbox under DATA_DIR, with links logged outside production', () => {
    const { mail } = parseConfig({ DATA_DIR: '/srv/portico' });
    expect(mail.driver).to.equal('outbox');
    expect(mail.outbox).to.deep.equal({ dir: path.resolve('/srv/portico/outbox'), logLinks: true });
    expect(mail.smtp.from).to.equal('Portico <no-reply@localhost>');
    expect(parseConfig({ ...PROD }).mail.outbox.logLinks).to.equal(false);
  });

  it('read the SMTP server by its parts, the port following SMTP_SECURE', () => {
    const env = { MAIL_DRIVER: 'smtp', SMTP_HOST: 'mail.example.com', SMTP_USER: 'u', SMTP_PASSWORD: 'p' };
    expect(parseConfig(env).mail.smtp).to.deep.equal({
      from: 'Portico <no-reply@localhost>',
      url: undefined,
      host: 'mail.example.com',
      port: 587,
      secure: false,
      user: 'u',
      password: 'p',
      connectionTimeoutMs: 10_000,
      sendTimeoutMs: 30_000,
    });
    expect(parseConfig({ ...env, SMTP_SECURE: 'true' }).mail.smtp.port).to.equal(465);
    expect(parseConfig({ ...env, SMTP_PORT: '2525', SMTP_SEND_TIMEOUT_MS: '5000' }).mail.smtp).to.include({
      port: 2525,
      sendTimeoutMs: 5000,
    });
  });

  it('read the SMTP server from SMTP_URL', () => {
    const smtp = parseConfig({ MAIL_DRIVER: 'smtp', SMTP_URL: 'smtps://u:p@mail.example.com' }).mail.smtp;
    expect(smtp.url).to.equal('smtps://u:p@mail.example.com');
  });

  it('want a server with MAIL_DRIVER=smtp, given one way only', () => {
    expect(namesRefused({ MAIL_DRIVER: 'smtp' })).to.deep.equal(['SMTP_HOST']);
    expect(namesRefused({ SMTP_URL: 'smtp://mail.example.com', SMTP_HOST: 'mail.example.com' })).to.deep.equal([
      'SMTP_URL',
    ]);
    expect(namesRefused({ SMTP_HOST: 'h', SMTP_USER: 'u' })).to.deep.equal(['SMTP_PASSWORD']);
  });

  it('require MAIL_FROM with SMTP in production', () => {
    const env = { ...PROD, MAIL_DRIVER: 'smtp', SMTP_HOST: 'h' };
    expect(namesRefused(env)).to.deep.equal(['MAIL_FROM']);
    expect(parseConfig({ ...env, MAIL_FROM: 'Portico <no-reply@example.com>' }).mail.smtp.from).to.equal(
      'Portico <no-reply@example.com>',
    );
  });

  it('list every bad value by name, never the value', () => {
    const error = configErrorOf({
      MAIL_DRIVER: 'pigeon',
      MAIL_FROM: 'nobody',
      SMTP_URL: 'http://u:hunter2@mail.example.com',
      SMTP_PORT: '0',
      SMTP_CONNECT_TIMEOUT_MS: '5',
    });
    expect(error.problems.map((p) => p.split(':')[0])).to.have.members([
      'MAIL_DRIVER',
      'MAIL_FROM',
      'SMTP_URL',
      'SMTP_PORT',
      'SMTP_CONNECT_TIMEOUT_MS',
    ]);
    expect(error.message).not.to.include('hunter2');
  });
});
