import { expect } from 'chai';
import { expectedVersion } from '../../../src/domain/precondition.js';
import { rejectionOf } from '../../support/rejection.js';

describe('expectedVersion', () => {
  it('asks nothing of the store for no condition or *', () => {
    expect(expectedVersion(undefined, 3)).to.equal(undefined);
    expect(expectedVersion('*', 3)).to.equal(undefined);
  });

  it('asks the store to still find the current version when it is one of those named', () => {
    expect(expectedVersion([2, 3], 3)).to.equal(3);
  });

  it('is PRECONDITION.FAILED at once when none of the versions named is current', async () => {
    const error = await rejectionOf(Promise.resolve().then(() => expectedVersion([1, 2], 3)));
    expect(error.code).to.equal('PRECONDITION.FAILED');
    expect((await rejectionOf(Promise.resolve().then(() => expectedVersion([], 1)))).code).to.equal(
      'PRECONDITION.FAILED',
    );
  });
});
