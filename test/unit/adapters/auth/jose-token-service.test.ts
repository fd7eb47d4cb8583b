import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { SignJWT } from 'jose';
import { signingKeyFromPem } from '../../../../src/adapters/auth/signing-key.js';
import { aTokenService, ManualClock, newPrivateKeyPem } from '../../../support/fakes.js';
import { rejectionOf } from '../../../support/rejection.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const subject = { id: '0190a0b1-0000-7000-8000-000000000001', role: 'user' as const };

describe('JoseTokenService', () => {
  it('issues ES256 tokens with every required claim and header', async () => {
    const { service, keys } = await aTokenService();
    const { token } = await service.issueAccessToken(subject);
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>);
    expect(header).to.deep.equal({ alg: 'ES256', kid: keys[0]?.kid, typ: 'at+jwt' });
    expect(payload).to.include({ iss: 'portico-test', aud: 'portico-api', sub: subject.id, role: 'user' });
    expect(payload).to.have.keys('iss', 'aud', 'sub', 'role', 'iat', 'exp', 'jti', 'amr');
    expect(payload?.amr).to.deep.equal(['pwd']);
    expect(Number(payload?.exp) - Number(payload?.iat)).to.equal(900);
  });

  it('also signs with an Ed25519 key (EdDSA)', async () => {
    const key = await signingKeyFromPem(newPrivateKeyPem('ed25519'));
    const { service } = await aTokenService(new ManualClock(), [key]);
    const { token } = await service.issueAccessToken(subject);
    expect((await service.verifyAccessToken(token)).sub).to.equal(subject.id);
  });

  it('publishes only public keys in the JWKS', async () => {
    const { service, keys } = await aTokenService();
    const { keys: jwks } = await service.jwks();
    expect(jwks).to.have.length(1);
    expect(jwks[0]).to.include({ kid: keys[0]?.kid, alg: 'ES256', use: 'sig', kty: 'EC' });
    expect(jwks[0]).to.not.have.property('d');
  });

  it('refuses an expired token', async () => {
    const clock = new ManualClock();
    const { service } = await aTokenService(clock);
    const { token } = await service.issueAccessToken(subject);
    clock.advance(901_000);
    expect((await rejectionOf(service.verifyAccessToken(token))).code).to.equal('AUTH.UNAUTHENTICATED');
  });

  it('refuses a tampered payload', async () => {
    const { service } = await aTokenService();
    const [h, , s] = (await service.issueAccessToken(subject)).token.split('.');
    const forged = `${h}.${b64({ sub: subject.id, role: 'admin', iss: 'portico-test', aud: 'portico-api', exp: 9e9, iat: 1, jti: 'x' })}.${s}`;
    expect((await rejectionOf(service.verifyAccessToken(forged))).code).to.equal('AUTH.UNAUTHENTICATED');
  });

  it('refuses alg "none"', async () => {
    const { service, keys } = await aTokenService();
    const claims = {
      sub: subject.id,
      role: 'admin',
      iss: 'portico-test',
      aud: 'portico-api',
      exp: 9e9,
      iat: 1,
      jti: 'x',
    };
    const token = `${b64({ alg: 'none', typ: 'at+jwt', kid: keys[0]?.kid })}.${b64(claims)}.`;
    expect((await rejectionOf(service.verifyAccessToken(token))).code).to.equal('AUTH.UNAUTHENTICATED');
  });

  it('refuses HS256 signed with the public key as the secret', async () => {
    const { service, keys } = await aTokenService();
    const key = keys[0]!;
    const pem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const signingInput = `${b64({ alg: 'HS256', typ: 'at+jwt', kid: key.kid })}.${b64({ sub: subject.id, role: 'admin', iss: 'portico-test', aud: 'portico-api', exp: 9e9, iat: 1, jti: 'x' })}`;
    const token = `${signingInput}.${createHmac('sha256', pem).update(signingInput).digest('base64url')}`;
    expect((await rejectionOf(service.verifyAccessToken(token))).code).to.equal('AUTH.UNAUTHENTICATED');
  });

  it('refuses a token with the wrong audience, issuer or typ', async () => {
    const { service, keys } = await aTokenService();
    const key = keys[0]!;
    const sign = (iss: string, aud: string, typ: string) =>
      new SignJWT({ role: 'user' })
        .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ })
        .setIssuer(iss)
        .setAudience(aud)
        .setSubject(subject.id)
        .setIssuedAt(Math.floor(Date.parse('2026-01-01') / 1000))
        .setExpirationTime(Math.floor(Date.parse('2030-01-01') / 1000))
        .setJti('j')
        .sign(key.privateKey);
    for (const token of [
      await sign('evil', 'portico-api', 'at+jwt'),
      await sign('portico-test', 'other', 'at+jwt'),
      await sign('portico-test', 'portico-api', 'JWT'),
    ]) {
      expect((await rejectionOf(service.verifyAccessToken(token))).code).to.equal('AUTH.UNAUTHENTICATED');
    }
  });

  it('refuses a token signed by a key it does not know', async () => {
    const { service } = await aTokenService();
    const { service: other } = await aTokenService();
    const { token } = await other.issueAccessToken(subject);
    expect((await rejectionOf(service.verifyAccessToken(token))).code).to.equal('AUTH.UNAUTHENTICATED');
  });
});
