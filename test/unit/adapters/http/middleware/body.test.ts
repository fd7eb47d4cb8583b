import { expect } from 'chai';
import { BODY_MAX_DEPTH, nestedDeeperThan } from '../../../../../src/adapters/http/middleware/body.js';

/** `levels` arrays one inside the other, built as text and parsed: JSON.parse itself does not recurse. */
const nestedArrays = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);
const nestedObjects = (levels: number): unknown =>
  JSON.parse(`${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`);

describe('nestedDeeperThan', () => {
  it('counts scalars as no nesting and each array or object as one level', () => {
    for (const scalar of [null, 0, 'text', true]) expect(nestedDeeperThan(scalar, 0)).to.equal(false);
    expect(nestedDeeperThan({}, 0)).to.equal(true);
    expect(nestedDeeperThan({}, 1)).to.equal(false);
    expect(nestedDeeperThan({ a: [1, { b: 'x' }] }, 2)).to.equal(true);
    expect(nestedDeeperThan({ a: [1, { b: 'x' }] }, 3)).to.equal(false);
  });

  it('accepts exactly the bound and refuses one level more, for arrays and objects alike', () => {
    expect(nestedDeeperThan(nestedArrays(BODY_MAX_DEPTH), BODY_MAX_DEPTH)).to.equal(false);
    expect(nestedDeeperThan(nestedArrays(BODY_MAX_DEPTH + 1), BODY_MAX_DEPTH)).to.equal(true);
    expect(nestedDeeperThan(nestedObjects(BODY_MAX_DEPTH), BODY_MAX_DEPTH)).to.equal(false);
    expect(nestedDeeperThan(nestedObjects(BODY_MAX_DEPTH + 1), BODY_MAX_DEPTH)).to.equal(true);
  });

  it('finds the deep branch among shallow siblings', () => {
    const body = { a: 1, b: [2, 3], c: { d: nestedObjects(BODY_MAX_DEPTH) } };
    expect(nestedDeeperThan(body, BODY_MAX_DEPTH)).to.equal(true);
    expect(nestedDeeperThan({ ...body, c: {} }, BODY_MAX_DEPTH)).to.equal(false);
  });

  it('answers for 100,000 levels without overflowing the stack', () => {
    expect(nestedDeeperThan(nestedArrays(100_000), BODY_MAX_DEPTH)).to.equal(true);
    expect(nestedDeeperThan(nestedObjects(100_000), BODY_MAX_DEPTH)).to.equal(true);
  });

  it('bounds request bodies well above the deepest field any schema allows (a profile, 5)', () => {
    expect(BODY_MAX_DEPTH).to.be.within(8, 64);
  });
});
