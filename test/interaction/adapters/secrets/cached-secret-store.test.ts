import { expect } from 'chai';
import sinon from 'sinon';
import { CachedSecretStore } from '../../../../src/adapters/secrets/cached-secret-store.js';
import { ManualClock } from '../../../support/fakes.js';
import { rejectionOf } from '../../../support/rejection.js';
import { stubSecretStore } from '../../../support/stubs.js';

const aLog = () => ({ info: sinon.spy(), warn: sinon.spy() });
const TTL_S = 60;

function aCache() {
  const inner = stubSecretStore();
  const clock = new ManualClock();
  const log = aLog();
  const cache = new CachedSecretStore(inner, { ttlSeconds: TTL_S, clock, log });
  return { inner, clock, log, cache };
}

const first = { DB_PASSWORD: 'pw-one-5b1', JWT_PRIVATE_KEY: 'pem-one-88d' };
const rotated = { DB_PASSWORD: 'pw-one-5b1', JWT_PRIVATE_KEY: 'pem-two-c41' };
const logged = (log: ReturnType<typeof aLog>) => JSON.stringify([...log.info.args, ...log.warn.args]);

describe('CachedSecretStore (interactions with a SecretStore)', () => {
  afterEach(() => sinon.restore());

  it('reads the source once per TTL', async () => {
    const { inner, clock, cache } = aCache();
    inner.load.resolves(first);
    await cache.load();
    clock.advance((TTL_S - 1) * 1000);
    expect(await cache.load()).to.deep.equal(first);
    sinon.assert.calledOnce(inner.load);
    clock.advance(1000);
    await cache.load();
    sinon.assert.calledTwice(inner.load);
  });

  it('picks up a changed value on refresh and tells listeners which names changed, never the values', async () => {
    const { inner, log, cache } = aCache();
    inner.load.onFirstCall().resolves(first).onSecondCall().resolves(rotated);
    const listener = sinon.spy();
    cache.onChange(listener);
    await cache.load();
    sinon.assert.notCalled(listener);
    await cache.refresh();
    sinon.assert.calledOnceWithExactly(listener, rotated, ['JWT_PRIVATE_KEY']);
    expect(await cache.load()).to.deep.equal(rotated);
    sinon.assert.calledWith(log.info, { changed: ['JWT_PRIVATE_KEY'] });
    expect(logged(log)).to.not.include('pem-').and.not.include('pw-one');
  });

  it('keeps the last good values through an outage after boot, with a warning that holds no value', async () => {
    const { inner, clock, log, cache } = aCache();
    inner.load
      .onFirstCall()
      .resolves(first)
      .onSecondCall()
      .rejects(new Error('cannot read SSM parameters under /qa/: ThrottlingException'));
    const listener = sinon.spy();
    cache.onChange(listener);
    await cache.load();
    expect(await cache.refresh()).to.deep.equal(first);
    sinon.assert.calledOnce(log.warn);
    expect(log.warn.firstCall.args[0]).to.deep.equal({
      reason: 'cannot read SSM parameters under /qa/: ThrottlingException',
    });
    sinon.assert.notCalled(listener);
    // The failed read counts as this TTL's attempt: the source is not hammered while it is down.
    clock.advance(1000);
    expect(await cache.load()).to.deep.equal(first);
    sinon.assert.calledTwice(inner.load);
    expect(logged(log)).to.not.include('pw-one');
  });

  it('fails the first load when the source cannot be read, so a boot stops', async () => {
    const { inner, cache } = aCache();
    inner.load.rejects(new Error('cannot read SSM parameters under /qa/: AccessDeniedException'));
    expect((await rejectionOf(cache.load())).message).to.include('AccessDeniedException');
  });

  it('shares one read between concurrent refreshes', async () => {
    const { inner, cache } = aCache();
    inner.load.resolves(first);
    await Promise.all([cache.refresh(), cache.refresh(), cache.load()]);
    sinon.assert.calledOnce(inner.load);
  });

  it('logs a listener that fails and still serves the new values', async () => {
    const { inner, log, cache } = aCache();
    inner.load.onFirstCall().resolves(first).onSecondCall().resolves(rotated);
    cache.onChange(() =>
      Promise.reject(new Error('JWT_PRIVATE_KEY is not a P-256 (ES256) or Ed25519 (EdDSA) private key in PEM')),
    );
    await cache.load();
    expect(await cache.refresh()).to.deep.equal(rotated);
    sinon.assert.calledOnce(log.warn);
    expect(log.warn.firstCall.args[1]).to.equal('could not apply changed secrets');
  });

  it('refreshes every TTL in the background until stopped', async () => {
    const timers = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { inner, cache } = aCache();
    inner.load.resolves(first);
    cache.startRefreshing();
    await timers.tickAsync(TTL_S * 1000 * 2);
    sinon.assert.calledTwice(inner.load);
    cache.stopRefreshing();
    await timers.tickAsync(TTL_S * 1000 * 3);
    sinon.assert.calledTwice(inner.load);
  });
});
