import { expect } from 'chai';
import { generate } from 'otplib';
import { OtplibTotp } from '../../../../src/adapters/auth/otplib-totp.js';

// RFC 6238 Appendix B, SHA-1: the ASCII secret "12345678901234567890" in base32, and the last six digits of each code.
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const VECTORS = [
  { seconds: 59, code: '287082', step: 1 },
  { seconds: 1_111_111_109, code: '081804', step: 37_037_036 },
  { seconds: 1_111_111_111, code: '050471', step: 37_037_037 },
  { seconds: 1_234_567_890, code: '005924', step: 41_152_263 },
  { seconds: 2_000_000_000, code: '279037', step: 66_666_666 },
];
const at = (seconds: number) => new Date(seconds * 1000);

describe('OtplibTotp', () => {
  const totp = new OtplibTotp();
  const matchStep = (code: string, seconds: number) => totp.matchStep({ code, secret: SECRET, at: at(seconds) });

  it('matches the RFC 6238 SHA-1 test vectors at their steps', async () => {
    for (const { seconds, code, step } of VECTORS) expect(await matchStep(code, seconds), code).to.equal(step);
  });

  it('matches a code of the previous or the next step with that step', async () => {
    expect(await matchStep('287082', 89)).to.equal(1);
    expect(await matchStep('287082', 29)).to.equal(1);
    expect(await matchStep('081804', 1_111_111_111)).to.equal(37_037_036);
    expect(await matchStep('050471', 1_111_111_109)).to.equal(37_037_037);
  });

  it('refuses a code two steps away', async () => {
    expect(await matchStep('287082', 119)).to.equal(null);
    expect(await matchStep('005924', 1_234_567_890 + 60)).to.equal(null);
    expect(await matchStep('005924', 1_234_567_890 - 60)).to.equal(null);
  });

  it('accepts spaces inside a code', async () => {
    expect(await matchStep('287 082', 59)).to.equal(1);
    expect(await matchStep(' 28 70 82 ', 59)).to.equal(1);
  });

  it('refuses a wrong code, a code of 5 or 7 digits, and anything not made of ASCII digits', async () => {
    for (const code of ['287083', '000000', '28708', '2870820', '94287082', '28708a', 'abcdef', '', '٢٨٧٠٨٢', '+87082'])
      expect(await matchStep(code, 59), JSON.stringify(code)).to.equal(null);
  });

  it('uses its period for the steps', async () => {
    const minutes = new OtplibTotp(60);
    expect(minutes.periodSeconds).to.equal(60);
    expect(totp.periodSeconds).to.equal(30);
    // Step 0 under 60 s steps is the same HMAC input as step 0 under 30 s steps.
    expect(await minutes.matchStep({ code: '755224', secret: SECRET, at: at(59) })).to.equal(0);
  });

  it('generates distinct base32 secrets of at least 20 bytes', () => {
    const secrets = Array.from({ length: 20 }, () => totp.generateSecret());
    expect(new Set(secrets).size).to.equal(20);
    for (const secret of secrets) {
      expect(secret).to.match(/^[A-Z2-7]+=*$/);
      expect(Math.floor((secret.replace(/=+$/, '').length * 5) / 8)).to.be.at.least(20);
    }
  });

  it('builds an otpauth URI with the issuer and the account URL-encoded', () => {
    const uri = totp.uri({ secret: SECRET, account: 'a+b@example.com', issuer: 'Acme Corp' });
    expect(uri).to.equal(`otpauth://totp/Acme%20Corp:a%2Bb%40example.com?secret=${SECRET}&issuer=Acme%20Corp`);
  });

  it('enrols a generated secret whose current code then matches', async () => {
    const secret = totp.generateSecret();
    const now = new Date();
    const code = await generate({ secret, epoch: Math.floor(now.getTime() / 1000) });
    expect(await totp.matchStep({ code, secret, at: now })).to.equal(Math.floor(now.getTime() / 30_000));
  });
});
