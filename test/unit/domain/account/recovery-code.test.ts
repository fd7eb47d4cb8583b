import { expect } from 'chai';
import { newRecoveryCode, normalizeRecoveryCode } from '../../../../src/domain/account/recovery-code.js';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const FORMAT = /^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/;

describe('recovery codes', () => {
  it('are four dash-separated groups of four characters from the 32-character alphabet', () => {
    for (let i = 0; i < 200; i++) expect(newRecoveryCode()).to.match(FORMAT);
  });

  it('never contain i, l, o or u, which are misread on paper', () => {
    const seen = Array.from({ length: 500 }, newRecoveryCode).join('');
    expect(seen).to.not.match(/[ilou]/);
  });

  it('are random: no repeats, and every letter of the alphabet turns up', () => {
    const codes = Array.from({ length: 2000 }, newRecoveryCode);
    expect(new Set(codes).size).to.equal(codes.length);
    const used = new Set(codes.join('').replace(/-/g, ''));
    expect([...used].sort().join('')).to.equal(ALPHABET);
  });

  it('use each character about equally often (no modulo bias)', () => {
    const counts = new Map<string, number>();
    const chars = Array.from({ length: 2000 }, newRecoveryCode).join('').replace(/-/g, '');
    for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
    const expected = chars.length / ALPHABET.length;
    for (const c of ALPHABET) expect(counts.get(c), c).to.be.within(expected * 0.8, expected * 1.2);
  });

  it('normalize to the lower-case code without dashes', () => {
    expect(normalizeRecoveryCode('abcd-efgh-jkmn-pqrs')).to.equal('abcdefghjkmnpqrs');
  });

  it('normalize case, spaces (also tabs and newlines) and dashes away', () => {
    expect(normalizeRecoveryCode(' ABCD EFGH\tjkmn-PQRS\n')).to.equal('abcdefghjkmnpqrs');
    expect(normalizeRecoveryCode('ab-cd--ef gh')).to.equal('abcdefgh');
  });

  it('read the confusable letters I, L and O as the digits 1 and 0', () => {
    expect(normalizeRecoveryCode('IiLl-Oo00')).to.equal('11110000');
    expect(normalizeRecoveryCode('1ab0')).to.equal(normalizeRecoveryCode('lABO'));
  });

  it('normalize what they print to itself', () => {
    for (let i = 0; i < 100; i++) {
      const code = newRecoveryCode();
      const once = normalizeRecoveryCode(code);
      expect(once).to.equal(code.replace(/-/g, ''));
      expect(normalizeRecoveryCode(once)).to.equal(once);
      expect(normalizeRecoveryCode(code.toUpperCase().replace(/-/g, ' '))).to.equal(once);
    }
  });
});
