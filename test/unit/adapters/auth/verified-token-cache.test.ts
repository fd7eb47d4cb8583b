import { expect } from 'chai';
import sinon from 'sinon';
import { JoseTokenService } from '../../../../src/adapters/auth/jose-token-service.js';
import { signingKeyFromPem } from '../../../../src/adapters/auth/signing-key.js';
import { ManualClock, newPrivateKeyPem } from '../../../support/fakes.js';
import { rejectionOf } from '../../../support/rejection.js';

const subject = { id: '0190a0b1-0000-7000-8000-000000000001', role: 'user' as const };

async function aService(verifiedCacheSize?: number) {
  const clock = new ManualClock();
  const key = await signingKeyFromPem(newPrivateKeyPem());
  // Every full verification looks its key up here; a remembered token does not.
  const keys = sinon.spy(() => [key]);
  const service = new JoseTokenService({
    keys,
    issuer: 'portico-test',
    audience: 'portico-api',
    accessTtlSeconds: 900,
    clock,
    verifiedCacheSize,
  });
  const issue = async () => (await service.issueAccessToken(subject, 'session-1')).token;
  return { service, clock, keys, issue };
}

describe('JoseTokenService verified-token cache', () => {
  it('checks a token fully once, then answers the same claims from memory', async () => {
    const { service, keys, issue } = await aService();
    const token = await issue();
    keys.resetHistory();
    const first = await service.verifyAccessToken(token);
    const second = await service.verifyAccessToken(token);
    expect(keys.callCount).to.equal(1);
    expect(second).to.deep.equal(first);
    expect(second).to.include({ sub: subject.id, role: 'user', sid: 'session-1' });
  });

  it('forgets a token at its exp: it is refused as expired, as without the cache', async () => {
    const { service, clock, issue } = await aService();
    const token = await issue();
    await service.verifyAccessToken(token);
    clock.advance(899_000);
    expect((await service.verifyAccessToken(token)).sub).to.equal(subject.id);
    clock.advance(1_000);
    expect((await rejectionOf(service.verifyAccessToken(token))).code).to.equal('AUTH.UNAUTHENTICATED');
  });

  it('never remembers a token that failed', async () => {
    const { service, keys, issue } = await aService();
    const [h, p, s] = (await issue()).split('.');
    // Change a character in the middle: the last ones of base64url may carry only padding bits.
    const sig = s!;
    const tampered = `${h}.${p}.${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
    keys.resetHistory();
    expect((await rejectionOf(service.verifyAccessToken(tampered))).code).to.equal('AUTH.UNAUTHENTICATED');
    expect((await rejectionOf(service.verifyAccessToken(tampered))).code).to.equal('AUTH.UNAUTHENTICATED');
    expect(keys.callCount).to.equal(2);
  });

  it('holds at most its capacity, dropping the oldest', async () => {
    const { service, keys, issue } = await aService(1);
    const [a, b] = [await issue(), await issue()];
    keys.resetHistory();
    await service.verifyAccessToken(a);
    await service.verifyAccessToken(b);
    await service.verifyAccessToken(a);
    expect(keys.callCount).to.equal(3);
  });

  it('can be turned off', async () => {
    const { service, keys, issue } = await aService(0);
    const token = await issue();
    keys.resetHistory();
    await service.verifyAccessToken(token);
    await service.verifyAccessToken(token);
    expect(keys.callCount).to.equal(2);
  });
});
