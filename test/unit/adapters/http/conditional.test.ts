import { expect } from 'chai';
import { etagOf, ifMatchIn, noneMatchHits, parseTags } from '../../../../src/adapters/http/conditional.js';

const ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const OTHER = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c';

describe('conditional requests', () => {
  describe('etagOf', () => {
    it('is a strong quoted tag that names neither the id nor the version in plain text', () => {
      const tag = etagOf(ID, 3);
      expect(tag).to.match(/^"[A-Za-z0-9_-]+"$/);
      expect(tag).to.not.include(ID);
    });

    it('differs by version and by record, and is the same for the same pair', () => {
      expect(etagOf(ID, 1)).to.equal(etagOf(ID, 1));
      expect(etagOf(ID, 1)).to.not.equal(etagOf(ID, 2));
      expect(etagOf(ID, 1)).to.not.equal(etagOf(OTHER, 1));
    });
  });

  describe('parseTags', () => {
    it('reads *, a list with weak and strong tags, and drops what is no entity tag', () => {
      expect(parseTags(undefined)).to.equal(undefined);
      expect(parseTags(' * ')).to.equal('*');
      expect(parseTags('"a", W/"b" ,nonsense, "c')).to.deep.equal([
        { weak: false, opaque: '"a"' },
        { weak: true, opaque: '"b"' },
      ]);
    });
  });

  describe('ifMatchIn', () => {
    it('names the versions of its strong tags for this record', () => {
      expect(ifMatchIn(etagOf(ID, 4), ID)).to.deep.equal([4]);
      expect(ifMatchIn(`${etagOf(ID, 2)}, ${etagOf(ID, 7)}`, ID)).to.deep.equal([2, 7]);
    });

    it('passes * and an absent header through', () => {
      expect(ifMatchIn('*', ID)).to.equal('*');
      expect(ifMatchIn(undefined, ID)).to.equal(undefined);
    });

    it('never matches a weak tag, a tag of another record, or one it did not issue', () => {
      expect(ifMatchIn(`W/${etagOf(ID, 4)}`, ID)).to.deep.equal([]);
      expect(ifMatchIn(etagOf(OTHER, 4), ID)).to.deep.equal([]);
      expect(ifMatchIn('"4"', ID)).to.deep.equal([]);
      const zero = `"${Buffer.from(`${ID}:0`).toString('base64url')}"`;
      const word = `"${Buffer.from(`${ID}:four`).toString('base64url')}"`;
      expect(ifMatchIn(`${zero}, ${word}`, ID)).to.deep.equal([]);
    });
  });

  describe('noneMatchHits', () => {
    it('matches the current tag by weak comparison, and *', () => {
      const tag = etagOf(ID, 2);
      expect(noneMatchHits(tag, tag)).to.equal(true);
      expect(noneMatchHits(`"x", W/${tag}`, tag)).to.equal(true);
      expect(noneMatchHits('*', tag)).to.equal(true);
    });

    it('does not match another version, or no header', () => {
      const tag = etagOf(ID, 2);
      expect(noneMatchHits(etagOf(ID, 1), tag)).to.equal(false);
      expect(noneMatchHits(undefined, tag)).to.equal(false);
    });
  });
});
