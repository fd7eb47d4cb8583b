import { invalid } from '../errors.js';

/**
 * RFC 5322's dot-atom, which is what addresses people type: atext runs joined by single dots, with
 * letters and digits of any script (RFC 6531, internationalized mail). No quoted local parts, no
 * comments, no IP-literal domains.
 */
const LOCAL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
/** A host name label (RFC 1123, letters of any script for IDNs): no leading or trailing hyphen, 63 at most. */
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

function wellFormed(value: string): boolean {
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  return (
    at > 0 &&
    local.length <= 64 &&
    LOCAL.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => LABEL.test(label)) &&
    // A top-level domain is never all digits (that would be an IP address).
    !/^\d+$/.test(labels.at(-1) ?? '')
  );
}

/** Emails are compared and stored trimmed and lower-cased. */
export class Email {
  private constructor(readonly value: string) {}

  static parse(raw: string): Email {
    const value = raw.trim().toLowerCase();
    if (value.length > 254 || !wellFormed(value)) {
      throw invalid('Email is not valid.', [{ path: 'email', message: 'not a valid email address' }]);
    }
    return new Email(value);
  }

  toString(): string {
    return this.value;
  }
}
