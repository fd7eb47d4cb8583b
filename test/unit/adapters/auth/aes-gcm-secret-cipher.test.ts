import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import {
  AesGcmSecretCipher,
  cipherKeyId,
  cipherKeysFrom,
  type CipherKey,
} from '../../../../src/adapters/auth/aes-gcm-secret-cipher.js';
import { thrownBy } from '../../../support/rejection.js';

const aKey = (id = randomBytes(4).toString('hex')): CipherKey => ({ id, key: randomBytes(32) });
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';

/** The message `open` refuses `sealed` with; it must not echo the key or the secret. */
function refusal(cipher: AesGcmSecretCipher, sealed: string, key: CipherKey): string {
  const { message } = thrownBy(() => cipher.open(sealed));
  for (const leak of [SECRET, key.key.toString('base64'), key.key.toString('base64url'), key.key.toString('hex')])
    expect(message).to.not.include(leak);
  return message;
}

describe('AesGcmSecretCipher', () => {
  const key = aKey('k1');
  const cipher = new AesGcmSecretCipher([key]);

  it('opens what it sealed, unicode included', () => {
    for (const plain of [SECRET, '', 'pâté 🔐 秘密', 'x'.repeat(10_000)])
      expect(cipher.open(cipher.seal(plain))).to.equal(plain);
  });

  it('names the version and the key in what it seals, and never the secret', () => {
    const sealed = cipher.seal(SECRET);
    expect(sealed).to.match(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(sealed).to.not.include(SECRET);
  });

  it('seals one value differently each time', () => {
    const seals = new Set(Array.from({ length: 50 }, () => cipher.seal(SECRET)));
    expect(seals.size).to.equal(50);
    expect(new Set([...seals].map((s) => s.split('.')[2])).size).to.equal(50);
  });

  it('refuses a sealed value with any one character changed', () => {
    const sealed = cipher.seal(SECRET);
    for (let i = 0; i < sealed.length; i++) {
      const other = ALPHABET[(ALPHABET.indexOf(sealed[i] ?? '') + 1) % ALPHABET.length] ?? '';
      refusal(cipher, sealed.slice(0, i) + other + sealed.slice(i + 1), key);
    }
  });

  it('refuses a sealed value cut short, lengthened or not in its format', () => {
    const sealed = cipher.seal(SECRET);
    for (const bad of [sealed.slice(0, -1), `${sealed}A`, `${sealed}.`, '', 'v1', SECRET, sealed.replace('v1.', 'v2.')])
      expect(refusal(cipher, bad, key)).to.match(/^sealed secret: /);
  });

  it('opens values sealed with an older key after a rotation, and seals with the new one', () => {
    const old = cipher.seal(SECRET);
    const rotated = new AesGcmSecretCipher([aKey('k2'), key]);
    expect(rotated.open(old)).to.equal(SECRET);
    const fresh = rotated.seal(SECRET);
    expect(fresh.split('.')[1]).to.equal('k2');
    expect(rotated.open(fresh)).to.equal(SECRET);
    expect(refusal(cipher, fresh, key)).to.equal('sealed secret: no key with id k2');
  });

  it('refuses a value sealed under another key of the same id', () => {
    const impostor = new AesGcmSecretCipher([{ id: 'k1', key: randomBytes(32) }]);
    expect(refusal(cipher, impostor.seal(SECRET), key)).to.equal('sealed secret: does not authenticate under key k1');
  });

  it('refuses at construction no key, a key that is not 32 bytes, and two keys of one id', () => {
    expect(thrownBy(() => new AesGcmSecretCipher([])).message).to.include('at least one key');
    for (const bytes of [0, 16, 24, 31, 33, 64])
      expect(thrownBy(() => new AesGcmSecretCipher([{ id: 'k', key: randomBytes(bytes) }])).message).to.include(
        '32 bytes',
      );
    expect(() => new AesGcmSecretCipher([aKey('k'), aKey('k')])).to.throw('distinct');
    expect(() => new AesGcmSecretCipher([aKey('a.b')])).to.throw('key id');
  });
});

describe('cipherKeysFrom', () => {
  const raw = [randomBytes(32), randomBytes(32)];
  const configured = raw.map((k) => k.toString('base64'));

  it('decodes the configured keys in order, each named by a stable hash prefix of itself', () => {
    const keys = cipherKeysFrom(configured, 'unused');
    expect(keys.map((k) => k.key)).to.deep.equal(raw);
    expect(keys.map((k) => k.id)).to.deep.equal(raw.map(cipherKeyId));
    expect(keys[0]?.id).to.match(/^[0-9a-f]{8}$/);
    expect(cipherKeysFrom(configured, undefined)).to.deep.equal(keys);
    expect(cipherKeysFrom([configured[0]?.replace(/=+$/, '') ?? ''], undefined)[0]?.key).to.deep.equal(raw[0]);
  });

  it('refuses a key that is not 32 bytes of base64, by position and without its value', () => {
    for (const bad of [
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('base64'),
      'not base64 at all!',
      raw[0]?.toString('hex') ?? '',
    ]) {
      const { message } = thrownBy(() => cipherKeysFrom([configured[0] ?? '', bad], undefined));
      expect(message).to.include('#2').and.not.include(bad);
    }
  });

  it('derives one key from the fallback secret when none is configured, the same each time', () => {
    const [derived, ...rest] = cipherKeysFrom([], '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n');
    expect(rest).to.deep.equal([]);
    expect(derived?.key).to.have.length(32);
    expect(cipherKeysFrom([], '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n')).to.deep.equal([
      derived,
    ]);
    expect(cipherKeysFrom([], 'another secret')[0]?.id).to.not.equal(derived?.id);
    const cipher = new AesGcmSecretCipher(cipherKeysFrom([], 'a pem'));
    expect(new AesGcmSecretCipher(cipherKeysFrom([], 'a pem')).open(cipher.seal(SECRET))).to.equal(SECRET);
  });

  it('refuses to run with neither keys nor a secret to derive one from', () => {
    expect(() => cipherKeysFrom([], undefined)).to.throw('no encryption key');
    expect(() => cipherKeysFrom([], '')).to.throw('no encryption key');
  });
});
