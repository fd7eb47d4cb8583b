import { expect } from 'chai';
import { SignJWT } from 'jose';
import { JoseTokenService } from '../../../../src/adapters/auth/jose-token-service.js';
import { KeyRing } from '../../../../src/adapters/auth/key-ring.js';
import { signingKeyFromPem } from '../../../../src/adapters/auth/signing-key.js';
import { ManualClock, newPrivateKeyPem } from '../../../support/fakes.js';
import { kidOf, kidsOf } from '../../../support/kid-of.js';
import { rejectionOf } from '../../../support/rejection.js';

const subject = { id: '0190a0b1-0000-7000-8000-000000000001', role: 'user' as const };
const ACCESS_TTL_S = 900;
const RETIRE_AFTER_S = ACCESS_TTL_S + 60;

async function aRing() {
  const clock = new ManualClock();
  const firstPem = newPrivateKeyPem();
  const ring = await KeyRing.fromPem(firstPem, { clock, retireAfterSeconds: RETIRE_AFTER_S });
  const tokens = new JoseTokenService({
    keys: ring.keys,
    issuer: 'portico-test',
    audience: 'portico-api',
    accessTtlSeconds: ACCESS_TTL_S,
    clock,
  });
  return { clock, ring, tokens, firstPem };
}

describe('KeyRing', () => {
  it('signs new tokens with the new key and keeps verifying tokens the old key signed', async () => {
    const { ring, tokens } = await aRing();
    const before = (await tokens.issueAccessToken(subject)).token;
    expect(await ring.rotateTo(newPrivateKeyPem('ed25519'))).to.equal(true);
    const after = (await tokens.issueAccessToken(subject)).token;

    expect(kidOf(after)).to.equal(ring.currentKid).and.not.equal(kidOf(before));
    expect((await tokens.verifyAccessToken(before)).sub).to.equal(subject.id);
    expect((await tokens.verifyAccessToken(after)).sub).to.equal(subject.id);
    expect(kidsOf(await tokens.jwks())).to.deep.equal([kidOf(after), kidOf(before)]);
  });

  it('keeps the old key until every token it signed has expired, then drops it from the JWKS and verification', async () => {
    const { clock, ring, tokens, firstPem } = await aRing();
    const oldKey = await signingKeyFromPem(firstPem);
    const lastOldToken = (await tokens.issueAccessToken(subject)).token;
    await ring.rotateTo(newPrivateKeyPem());

    clock.advance((ACCESS_TTL_S - 1) * 1000);
    expect((await tokens.verifyAccessToken(lastOldToken)).sub).to.equal(subject.id);
    expect(kidsOf(await tokens.jwks())).to.include(oldKey.kid);

    clock.advance((RETIRE_AFTER_S - ACCESS_TTL_S + 1) * 1000);
    expect(kidsOf(await tokens.jwks())).to.deep.equal([ring.currentKid]);
    // Signed by the retired key and not expired: refused because the key is gone, not because of `exp`.
    const now = Math.floor(clock.now().getTime() / 1000);
    const late = await new SignJWT({ role: 'user' })
      .setProtectedHeader({ alg: 'ES256', kid: oldKey.kid, typ: 'at+jwt' })
      .setIssuer('portico-test')
      .setAudience('portico-api')
      .setSubject(subject.id)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .setJti('late')
      .sign(oldKey.privateKey);
    expect((await rejectionOf(tokens.verifyAccessToken(late))).code).to.equal('AUTH.UNAUTHENTICATED');
  });

  it('changes nothing when the key it is given is the one already signing', async () => {
    const { ring, tokens, firstPem } = await aRing();
    const kid = ring.currentKid;
    expect(await ring.rotateTo(firstPem)).to.equal(false);
    expect(kidsOf(await tokens.jwks())).to.deep.equal([kid]);
  });

  it('refuses a key that is not a P-256 or Ed25519 PEM, naming the setting and keeping the current key', async () => {
    const { ring } = await aRing();
    const kid = ring.currentKid;
    const error = await rejectionOf(ring.rotateTo('-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----'));
    expect(error.message).to.include('JWT_PRIVATE_KEY').and.not.include('not-a-key');
    expect(ring.currentKid).to.equal(kid);
    expect(ring.keys()).to.have.length(1);
  });

  it('lists a key once when it comes back while still retiring', async () => {
    const { ring, firstPem } = await aRing();
    const first = ring.currentKid;
    await ring.rotateTo(newPrivateKeyPem());
    const second = ring.currentKid;
    await ring.rotateTo(firstPem);
    expect(ring.keys().map((k) => k.kid)).to.deep.equal([first, second]);
  });
});
