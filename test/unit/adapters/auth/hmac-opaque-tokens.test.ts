import { expect } from 'chai';
import { HmacOpaqueTokens } from '../../../../src/adapters/auth/hmac-opaque-tokens.js';

describe('HmacOpaqueTokens', () => {
  const tokens = new HmacOpaqueTokens(Buffer.alloc(32, 1));

  it('creates distinct random tokens', () => {
    expect(new Set(Array.from({ length: 100 }, () => tokens.create())).size).to.equal(100);
  });

  it('derives the same successor every time, and a different one under another key', () => {
    const t = tokens.create();
    expect(tokens.successor(t)).to.equal(tokens.successor(t));
    expect(new HmacOpaqueTokens(Buffer.alloc(32, 2)).successor(t)).to.not.equal(tokens.successor(t));
  });

  it('stores a digest that does not contain the token', () => {
    const t = tokens.create();
    expect(tokens.digest(t)).to.match(/^[0-9a-f]{64}$/);
    expect(tokens.digest(t)).to.not.include(t.slice(3, 13));
  });
});
