import { expect } from 'chai';
import { mergePatch } from '../../../../src/application/users/merge-patch.js';

describe('mergePatch (RFC 7386)', () => {
  it('merges objects, removes members set to null and replaces arrays', () => {
    const target = { a: 'b', c: { d: 'e', f: 'g' }, list: [1, 2] };
    expect(mergePatch(target, { a: 'z', c: { f: null }, list: [3] })).to.deep.equal({
      a: 'z',
      c: { d: 'e' },
      list: [3],
    });
  });

  it('replaces a non-object target with the patch object', () => {
    expect(mergePatch('text', { x: 1 })).to.deep.equal({ x: 1 });
  });

  it('leaves the target untouched', () => {
    const target = { a: { b: 1 } };
    mergePatch(target, { a: { b: 2 } });
    expect(target).to.deep.equal({ a: { b: 1 } });
  });
});
