import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { SecretCipher } from '../../domain/ports/secret-cipher.js';

export interface CipherKey {
  /** Named in every sealed value, so a value finds its key after rotation; not secret. */
  id: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
}

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Strict base64url: one spelling per value, so no character of a sealed value can change unnoticed. */
const fromBase64Url = (text: string): Buffer | undefined => {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
};

/**
 * AES-256-GCM with a random 96-bit IV per value: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url).
 * The first key seals; every key opens, so a new key goes first and the old ones stay until no
 * stored value needs them. The version and key id are authenticated too (as associated data).
 */
export class AesGcmSecretCipher implements SecretCipher {
  private readonly keys: Map<string, Buffer>;
  private readonly sealing: CipherKey;

  constructor(keys: readonly CipherKey[]) {
    const [first] = keys;
    if (!first) throw new Error('AesGcmSecretCipher needs at least one key');
    for (const { id, key } of keys) {
      if (key.length !== KEY_BYTES) throw new Error(`cipher key ${id} must be ${KEY_BYTES} bytes`);
      if (!KEY_ID.test(id)) throw new Error('a cipher key id must be 1 to 64 letters, digits, "-" or "_"');
    }
    this.keys = new Map(keys.map(({ id, key }) => [id, key]));
    if (this.keys.size !== keys.length) throw new Error('cipher key ids must be distinct');
    this.sealing = first;
  }

  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const header = `${VERSION}.${this.sealing.id}`;
    const cipher = createCipheriv('aes-256-gcm', this.sealing.key, iv).setAAD(Buffer.from(header));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [header, ...[iv, body, cipher.getAuthTag()].map((bytes) => bytes.toString('base64url'))].join('.');
  }

  open(sealed: string): string {
    const parts = sealed.split('.');
    const [version, id = '', ...encoded] = parts;
    const [iv, body, tag] = encoded.map(fromBase64Url);
    if (parts.length !== 5 || version !== VERSION || !KEY_ID.test(id) || !iv || !body || !tag)
      throw new Error('sealed secret: unknown format');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('sealed secret: unknown format');
    const key = this.keys.get(id);
    // The id is public (a hash prefix), and says which key an operator removed too early.
    if (!key) throw new Error(`sealed secret: no key with id ${id}`);
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(`${version}.${id}`)).setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      // Node's own message says only that authentication failed; ours says which key, nothing more.
      throw new Error(`sealed secret: does not authenticate under key ${id}`);
    }
  }
}

/** 32 bytes in standard base64 (as `openssl rand -base64 32` prints), padding optional; else undefined. */
export function decodeCipherKey(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  const canonical = bytes.toString('base64').replace(/=+$/, '') === text.replace(/=+$/, '');
  return canonical && bytes.length === KEY_BYTES ? bytes : undefined;
}

/** A stable, public name for a key: the first 8 hex digits of its SHA-256. */
export const cipherKeyId = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 8);

/**
 * The configured keys (base64, the sealing one first); with none, one key derived by HKDF-SHA256
 * from `fallbackSecret` (in development, the signing key), so nothing must be configured there.
 * Either way the ids stay the same from boot to boot, so stored values keep opening.
 */
export function cipherKeysFrom(keys: readonly string[], fallbackSecret: string | undefined): CipherKey[] {
  if (keys.length === 0) {
    if (!fallbackSecret) throw new Error('no encryption key is configured and no secret to derive one from');
    const derived = Buffer.from(hkdfSync('sha256', fallbackSecret, '', 'portico secret cipher v1', KEY_BYTES));
    return [{ id: cipherKeyId(derived), key: derived }];
  }
  return keys.map((text, i) => {
    const key = decodeCipherKey(text);
    // Which one, by position: the message must never carry the key itself.
    if (!key) throw new Error(`encryption key #${i + 1} is not ${KEY_BYTES} bytes in base64`);
    return { id: cipherKeyId(key), key };
  });
}
