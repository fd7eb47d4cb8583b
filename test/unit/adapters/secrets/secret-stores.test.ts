import { expect } from 'chai';
import { CachedSecretStore } from '../../../../src/adapters/secrets/cached-secret-store.js';
import { EnvSecretStore } from '../../../../src/adapters/secrets/env-secret-store.js';
import { InMemorySecretStore } from '../../../../src/adapters/secrets/in-memory-secret-store.js';
import type { SecretStore } from '../../../../src/domain/ports/secret-store.js';
import { ManualClock } from '../../../support/fakes.js';

const silent = { info: () => undefined, warn: () => undefined };
const values = { DB_PASSWORD: 'pw-1', JWT_PRIVATE_KEY: 'pem-1' };

// The SSM adapter is tested against moto in test/integration/secrets/ssm-secret-store.test.ts.
const adapters: Array<[string, () => SecretStore]> = [
  ['InMemorySecretStore', () => new InMemorySecretStore(values)],
  ['EnvSecretStore', () => new EnvSecretStore({ ...values, UNSET: undefined })],
  [
    'CachedSecretStore',
    () =>
      new CachedSecretStore(new InMemorySecretStore(values), { ttlSeconds: 60, clock: new ManualClock(), log: silent }),
  ],
];

for (const [name, make] of adapters) {
  describe(`${name} as a SecretStore`, () => {
    it('loads every named secret it holds, and nothing unset', async () => {
      expect(await make().load()).to.deep.equal(values);
    });

    it('hands out a copy the caller cannot use to change what the next load returns', async () => {
      const store = make();
      const first = await store.load();
      first.DB_PASSWORD = 'changed by a caller';
      expect((await store.load()).DB_PASSWORD).to.equal('pw-1');
    });
  });
}

describe('InMemorySecretStore', () => {
  it('plays a rotation: a changed value shows on the next load', async () => {
    const store = new InMemorySecretStore(values);
    store.set('JWT_PRIVATE_KEY', 'pem-2');
    store.delete('DB_PASSWORD');
    expect(await store.load()).to.deep.equal({ JWT_PRIVATE_KEY: 'pem-2' });
  });
});
