import { Writable } from 'node:stream';
import { expect } from 'chai';
import { Container } from 'inversify';
import sinon from 'sinon';
import { CachedSecretStore } from '../../../src/adapters/secrets/cached-secret-store.js';
import type { SecretStore } from '../../../src/domain/ports/secret-store.js';
import { parseConfig } from '../../../src/infrastructure/config.js';
import { authModule } from '../../../src/infrastructure/container/auth-module.js';
import { Resources } from '../../../src/infrastructure/container/resources.js';
import { createLogger } from '../../../src/infrastructure/logging.js';
import { TOKENS } from '../../../src/infrastructure/tokens.js';
import { ManualClock, newPrivateKeyPem } from '../../support/fakes.js';

const stubSecretStore = () => ({ load: sinon.stub<[], ReturnType<SecretStore['load']>>() }) satisfies SecretStore;
const subject = { id: '0190a0b1-0000-7000-8000-000000000001', role: 'user' as const };
const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;

async function anAuthModuleFollowing(secretsSequence: Array<Record<string, string>>) {
  const inner = stubSecretStore();
  secretsSequence.forEach((values, i) => inner.load.onCall(i).resolves(values));
  const clock = new ManualClock();
  const lines: string[] = [];
  const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
  const secrets = new CachedSecretStore(inner, { ttlSeconds: 60, clock, log: logger });
  const initial = await secrets.load();
  const config = parseConfig({ JWT_PRIVATE_KEY: initial.JWT_PRIVATE_KEY, DB_DRIVER: 'memory', SECRETS_TTL_S: '60' });
  const resources = new Resources();
  const container = new Container();
  container.load(await authModule(config, { clock, logger, resources, secrets }));
  return { inner, secrets, resources, lines, tokens: container.get(TOKENS.TokenService) };
}

describe('authModule following refreshed secrets (interactions)', () => {
  afterEach(() => sinon.restore());

  it('signs with a new JWT_PRIVATE_KEY after a refresh while tokens of the old key keep verifying', async () => {
    const [pemA, pemB] = [newPrivateKeyPem(), newPrivateKeyPem()];
    const { secrets, resources, tokens, lines } = await anAuthModuleFollowing([{ JWT_PRIVATE_KEY: pemA }, { JWT_PRIVATE_KEY: pemB }]);
    const before = (await tokens.issueAccessToken(subject)).token;
    await secrets.refresh();
    const after = (await tokens.issueAccessToken(subject)).token;

    expect(kidOf(after)).to.not.equal(kidOf(before));
    expect((await tokens.verifyAccessToken(before)).sub).to.equal(subject.id);
    expect((await tokens.verifyAccessToken(after)).sub).to.equal(subject.id);
    expect((await tokens.jwks()).keys.map((k) => (k as { kid: string }).kid)).to.have.members([kidOf(before), kidOf(after)]);
    expect(lines.join('')).to.include('signing key rotated').and.not.include('PRIVATE KEY');
    await resources.close();
  });

  it('keeps signing with the current key when the refreshed one is unusable', async () => {
    const { secrets, resources, tokens, lines } = await anAuthModuleFollowing([{ JWT_PRIVATE_KEY: newPrivateKeyPem() }, { JWT_PRIVATE_KEY: 'garbage-key-3e9' }]);
    const before = kidOf((await tokens.issueAccessToken(subject)).token);
    await secrets.refresh();
    expect(kidOf((await tokens.issueAccessToken(subject)).token)).to.equal(before);
    expect(lines.join('')).to.include('could not apply changed secrets').and.not.include('garbage-key-3e9');
    await resources.close();
  });

  it('refreshes on a timer that stops when the resources close', async () => {
    const timers = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const pem = newPrivateKeyPem();
    const { inner, resources } = await anAuthModuleFollowing([{ JWT_PRIVATE_KEY: pem }, { JWT_PRIVATE_KEY: pem }, { JWT_PRIVATE_KEY: pem }]);
    await timers.tickAsync(60_000);
    sinon.assert.calledTwice(inner.load);
    await resources.close();
    await timers.tickAsync(180_000);
    sinon.assert.calledTwice(inner.load);
  });
});
