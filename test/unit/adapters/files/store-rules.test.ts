import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { planParts } from '../../../../src/domain/file/part-plan.js';
import {
  checkCompletion,
  clampLifetime,
  multipartEtag,
  resolveRange,
} from '../../../../src/adapters/files/store-rules.js';

const MIB = 1024 * 1024;
const part = (partNumber: number, size: number, etag = `e${partNumber}`) => ({ partNumber, size, etag });

describe('file store rules', () => {
  describe('planParts', () => {
    it('uses the preferred part size while the count stays within 10000', () => {
      expect(planParts(100 * MIB, 16 * MIB)).to.deep.equal({ partSize: 16 * MIB, partCount: 7 });
    });

    it('grows the part size when the preferred one would need more than 10000 parts', () => {
      const plan = planParts(100_000 * 5 * MIB, 5 * MIB);
      expect(plan.partCount).to.equal(10_000);
      expect(plan.partSize).to.equal(50 * MIB);
    });

    it('never plans parts under 5 MiB', () => {
      expect(planParts(3 * MIB, MIB)).to.deep.equal({ partSize: 5 * MIB, partCount: 1 });
    });
  });

  describe('checkCompletion', () => {
    const received = [part(1, 5 * MIB), part(2, 5 * MIB), part(3, 10)];

    it('returns the chosen parts when every one arrived with that ETag', () => {
      const chosen = checkCompletion(
        [
          { partNumber: 1, etag: '"e1"' },
          { partNumber: 3, etag: 'e3' },
        ],
        received,
      );
      expect(chosen.map((p) => p.partNumber)).to.deep.equal([1, 3]);
    });

    it('refuses a missing part, a wrong ETag, a wrong order and a small part before the last', () => {
      const cases = [
        [{ partNumber: 5, etag: 'e5' }],
        [{ partNumber: 1, etag: 'nope' }],
        [
          { partNumber: 2, etag: 'e2' },
          { partNumber: 1, etag: 'e1' },
        ],
        [
          { partNumber: 3, etag: 'e3' },
          { partNumber: 4, etag: 'e4' },
        ],
        [],
      ];
      for (const refs of cases)
        expect(() => checkCompletion(refs, [...received, part(4, 1)]))
          .to.throw()
          .with.property('code', 'FILE.UPLOAD_INCOMPLETE');
    });
  });

  it('resolves a range the way S3 does: an open end or one past the size stops at the last byte', () => {
    expect(resolveRange({ start: 5 }, 10)).to.deep.equal({ start: 5, end: 9 });
    expect(resolveRange({ start: 2, end: 99 }, 10)).to.deep.equal({ start: 2, end: 9 });
    expect(() => resolveRange({ start: 10 }, 10))
      .to.throw()
      .with.property('code', 'FILE.RANGE_NOT_SATISFIABLE');
  });

  it('clamps a pre-signed lifetime to the maximum, and to at least one second', () => {
    expect(clampLifetime(3600, 900)).to.equal(900);
    expect(clampLifetime(0, 900)).to.equal(1);
    expect(clampLifetime(10 ** 9, 10 ** 9)).to.equal(604_800);
  });

  it("computes a multipart ETag as S3 does: MD5 of the parts' MD5s, dash, count", () => {
    const a = createHash('md5').update('a').digest();
    const b = createHash('md5').update('b').digest();
    const expected = `${createHash('md5')
      .update(Buffer.concat([a, b]))
      .digest('hex')}-2`;
    expect(multipartEtag([a.toString('hex'), `"${b.toString('hex')}"`])).to.equal(expected);
  });
});
