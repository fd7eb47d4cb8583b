import { expect } from 'chai';
import { restartDelayMs } from '../../../src/infrastructure/cluster.js';

describe('restartDelayMs', () => {
  it('replaces a worker that had been running a while at once', () => {
    expect(restartDelayMs(0)).to.equal(0);
  });

  it('backs off exponentially while workers keep dying young, up to 30 s', () => {
    expect([1, 2, 3, 4, 7, 20].map(restartDelayMs)).to.deep.equal([500, 1_000, 2_000, 4_000, 30_000, 30_000]);
  });
});
