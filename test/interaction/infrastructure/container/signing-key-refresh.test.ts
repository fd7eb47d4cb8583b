import { Writable } from 'node:stream';
import { expect } from 'chai';
import sinon from 'sinon';
import { CachedSecretStore } from '../../../../src/adapters/secrets/cached-secret-store.js';
import { parseConfig } from '../../../../src/infrastructure/config.js';
import { buildContainer, closeContainer } from '../../../../src/infrastructure/container/build-container.js';
import { TOKENS } from '../../../../src/infrastructure/container/tokens.js';
import { createLogger } from '../../../../src/infrastructure/logging.js';
import { ManualClock, newPrivateKeyPem } from '../../../support/fakes.js';
import { kidOf, kidsOf } from '../../../support/kid-of.js';
import { stubSecretStore } from '../../../support/stubs.js';

const subject = { id: '0190a0b1-0000-7000-8000-000000000001', role: 'user' as const };

async function anAuthModuleFollowing(secretsSequence: Array<Record<string, string>>) {
  const inner = stubSecretStore();
  secretsSequence.forEach((values, i) => inner.load.onCall(i).resolves(values));
  const clock = new ManualClock();
  const lines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }),
  );
  const secrets = new CachedSecretStore(inner, { ttlSeconds: 60, clock, log: logger });
  const initial = await secrets.load();
  const config = parseConfig({
    JWT_PRIVATE_KEY: initial.JWT_PRIVATE_KEY,
    DB_DRIVER: 'memory',
    FILE_STORE: 'memory',
    UPLOAD_SWEEP_INTERVAL_MINUTES: '0',
    SECRETS_TTL_S: '60',
  });
  const container = await buildContainer(config, logger, {
    secrets,
    override: (c) => c.rebind(TOKENS.Clock).toConstantValue(clock),
  });
  // What the server starts once it is composed: following the secrets is one of its background jobs.
  await container.getAllAsync(TOKENS.BackgroundJobs);
  return {
    inner,
    secrets,
    close: () => closeContainer(container),
    lines,
    tokens: await container.getAsync(TOKENS.TokenService),
  };
}

describe('the auth module following refreshed secrets (interactions)', () => {
  afterEach(() => sinon.restore());

  it('signs with a new JWT_PRIVATE_KEY after a refresh while tokens of the old key keep verifying', async () => {
    const [pemA, pemB] = [newPrivateKeyPem(), newPrivateKeyPem()];
    const { secrets, close, tokens, lines } = await anAuthModuleFollowing([
      { JWT_PRIVATE_KEY: pemA },
      { JWT_PRIVATE_KEY: pemB },
    ]);
    const before = (await tokens.issueAccessToken(subject)).token;
    await secrets.refresh();
    const after = (await tokens.issueAccessToken(subject)).token;

    expect(kidOf(after)).to.not.equal(kidOf(before));
    expect((await tokens.verifyAccessToken(before)).sub).to.equal(subject.id);
    expect((await tokens.verifyAccessToken(after)).sub).to.equal(subject.id);
    expect(kidsOf(await tokens.jwks())).to.have.members([kidOf(before), kidOf(after)]);
    expect(lines.join('')).to.include('signing key rotated').and.not.include('PRIVATE KEY');
    await close();
  });

  it('keeps signing with the current key when the refreshed one is unusable', async () => {
    const { secrets, close, tokens, lines } = await anAuthModuleFollowing([
      { JWT_PRIVATE_KEY: newPrivateKeyPem() },
      { JWT_PRIVATE_KEY: 'garbage-key-3e9' },
    ]);
    const before = kidOf((await tokens.issueAccessToken(subject)).token);
    await secrets.refresh();
    expect(kidOf((await tokens.issueAccessToken(subject)).token)).to.equal(before);
    expect(lines.join('')).to.include('could not apply changed secrets').and.not.include('garbage-key-3e9');
    await close();
  });

  it('refreshes on a timer that stops when the container closes', async () => {
    const timers = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const pem = newPrivateKeyPem();
    const { inner, close } = await anAuthModuleFollowing([
      { JWT_PRIVATE_KEY: pem },
      { JWT_PRIVATE_KEY: pem },
      { JWT_PRIVATE_KEY: pem },
    ]);
    await timers.tickAsync(60_000);
    sinon.assert.calledTwice(inner.load);
    await close();
    await timers.tickAsync(180_000);
    sinon.assert.calledTwice(inner.load);
  });
});
