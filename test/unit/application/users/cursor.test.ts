import { expect } from 'chai';
import {
  decodeCursor,
  decodeIdCursor,
  encodeCursor,
  encodeIdCursor,
} from '../../../../src/application/users/cursor.js';

describe('list cursors', () => {
  it('round-trip an id opaquely (files)', () => {
    const cursor = encodeIdCursor('0190a0b1-0000-7000-8000-000000000001');
    expect(cursor).to.not.include('0190a0b1');
    expect(decodeIdCursor(cursor)).to.equal('0190a0b1-0000-7000-8000-000000000001');
  });

  for (const bad of ['!!', 'eyJ4IjoxfQ', Buffer.from('{"a":5}').toString('base64url')]) {
    it(`rejects ${bad} as REQUEST.INVALID`, () => {
      expect(() => decodeIdCursor(bad))
        .to.throw()
        .with.property('code', 'REQUEST.INVALID');
      expect(() => decodeCursor(bad, 'createdAt', {}))
        .to.throw()
        .with.property('code', 'REQUEST.INVALID');
    });
  }

  const key = { value: 'ann', id: '0190a0b1-0000-7000-8000-000000000001' };
  const filter = { q: 'an', role: 'user' as const, createdAfter: new Date('2026-01-01T00:00:00Z') };

  it('round-trip a users-list position under the sort and filters it was issued for', () => {
    expect(decodeCursor(encodeCursor(key, 'name', filter), 'name', { ...filter })).to.deep.equal(key);
  });

  const others: [string, Parameters<typeof decodeCursor>[1], Parameters<typeof decodeCursor>[2]][] = [
    ['another sort', '-name', filter],
    ['another q', 'name', { ...filter, q: 'a' }],
    ['no role', 'name', { ...filter, role: undefined }],
    ['a status', 'name', { ...filter, status: 'active' }],
    ['another date', 'name', { ...filter, createdAfter: new Date('2026-01-01T00:00:01Z') }],
    ['a createdBefore', 'name', { ...filter, createdBefore: new Date('2027-01-01T00:00:00Z') }],
    ['an email', 'name', { ...filter, email: 'ann@example.com' }],
  ];
  for (const [title, sort, other] of others) {
    it(`refuses a users-list cursor under ${title}`, () => {
      expect(() => decodeCursor(encodeCursor(key, 'name', filter), sort, other))
        .to.throw()
        .with.property('code', 'REQUEST.INVALID');
    });
  }
});
