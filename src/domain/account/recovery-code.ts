import { randomInt } from 'node:crypto';

/** Crockford-like: no I, L, O or U, so a code read aloud or typed from paper is not misread. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const GROUPS = 4;
const GROUP_LENGTH = 4;

/** A recovery code as shown once to the user: `xxxx-xxxx-xxxx-xxxx` (80 random bits). */
export function newRecoveryCode(): string {
  const groups = Array.from({ length: GROUPS }, () =>
    Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  );
  return groups.join('-');
}

/** What is hashed and compared: case, spaces and dashes do not matter; confusable letters read as digits. */
export function normalizeRecoveryCode(raw: string): string {
  return raw.toLowerCase().replace(/[\s-]/g, '').replace(/[il]/g, '1').replace(/o/g, '0');
}
