import { expect } from 'chai';
import sinon from 'sinon';
import { watchProgress } from '../../../../../src/adapters/http/middleware/stall-timeouts.js';

describe('watchProgress', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => (clock = sinon.useFakeTimers()));
  afterEach(() => clock.restore());

  it('calls onStall once nothing has moved for the whole period, and only once', () => {
    let stalls = 0;
    watchProgress(
      () => 0,
      () => false,
      400,
      () => stalls++,
    );
    clock.tick(399);
    expect(stalls).to.equal(0);
    clock.tick(200);
    expect(stalls).to.equal(1);
    clock.tick(5_000);
    expect(stalls).to.equal(1);
  });

  it('starts the period again whenever bytes move', () => {
    let bytes = 0;
    let stalls = 0;
    watchProgress(
      () => bytes,
      () => false,
      400,
      () => stalls++,
    );
    for (let i = 0; i < 20; i++) {
      clock.tick(300);
      bytes += 1;
    }
    expect(stalls).to.equal(0);
    clock.tick(600);
    expect(stalls).to.equal(1);
  });

  it('does not count the time the app itself holds the bytes back', () => {
    let heldBack = true;
    let stalls = 0;
    watchProgress(
      () => 0,
      () => heldBack,
      400,
      () => stalls++,
    );
    clock.tick(10_000);
    expect(stalls).to.equal(0);
    heldBack = false;
    clock.tick(600);
    expect(stalls).to.equal(1);
  });

  it('stops watching when told to', () => {
    let stalls = 0;
    const stop = watchProgress(
      () => 0,
      () => false,
      400,
      () => stalls++,
    );
    clock.tick(200);
    stop();
    clock.tick(5_000);
    expect(stalls).to.equal(0);
  });
});
