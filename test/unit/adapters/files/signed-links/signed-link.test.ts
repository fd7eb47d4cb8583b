import { expect } from 'chai';
import {
  signLink,
  verifyLocalLink,
  type LinkClaims,
} from '../../../../../src/adapters/files/signed-links/signed-link.js';

const secret = Buffer.alloc(32, 9);
const now = new Date('2026-01-01T00:00:00Z');
const exp = now.getTime() / 1000 + 60;
const claims: LinkClaims = { op: 'put', key: 'files/a/b', exp, contentType: 'text/plain', contentLength: 5 };

describe('signed file links', () => {
  it('verifies a link it signed and returns what the link allows', () => {
    expect(verifyLocalLink(secret, signLink(secret, claims), now)).to.deep.equal(claims);
  });

  it('refuses a link once it has expired', () => {
    const token = signLink(secret, claims);
    expect(() => verifyLocalLink(secret, token, new Date(exp * 1000)))
      .to.throw()
      .with.property('code', 'FILE.LINK_INVALID');
  });

  it('refuses a link signed under another secret', () => {
    const token = signLink(Buffer.alloc(32, 8), claims);
    expect(() => verifyLocalLink(secret, token, now))
      .to.throw()
      .with.property('code', 'FILE.LINK_INVALID');
  });

  it('refuses a link whose claims were changed (a longer content length)', () => {
    const [, signature] = signLink(secret, claims).split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, contentLength: 5e9 })).toString('base64url');
    expect(() => verifyLocalLink(secret, `${forged}.${signature}`, now))
      .to.throw()
      .with.property('code', 'FILE.LINK_INVALID');
  });

  for (const token of ['', 'abc', 'a.b.c', '.']) {
    it(`refuses the malformed token ${JSON.stringify(token)}`, () => {
      expect(() => verifyLocalLink(secret, token, now))
        .to.throw()
        .with.property('code', 'FILE.LINK_INVALID');
    });
  }
});
