import { expect } from 'chai';
import { decodeCursor, encodeCursor } from '../../../../src/application/users/cursor.js';

describe('list cursors', () => {
  it('round-trip an id opaquely', () => {
    const cursor = encodeCursor('0190a0b1-0000-7000-8000-000000000001');
    expect(cursor).to.not.include('0190a0b1');
    expect(decodeCursor(cursor)).to.equal('0190a0b1-0000-7000-8000-000000000001');
  });

  for (const bad of ['!!', 'eyJ4IjoxfQ', Buffer.from('{"a":5}').toString('base64url')]) {
    it(`rejects ${bad} as REQUEST.INVALID`, () => {
      expect(() => decodeCursor(bad))
        .to.throw()
        .with.property('code', 'REQUEST.INVALID');
    });
  }
});
