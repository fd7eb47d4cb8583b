import { invalid } from '../errors.js';

const SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Emails are compared and stored trimmed and lower-cased. */
export class Email {
  private constructor(readonly value: string) {}

  static parse(raw: string): Email {
    const value = raw.trim().toLowerCase();
    if (value.length > 254 || !SHAPE.test(value)) {
      throw invalid('Email is not valid.', [{ path: 'email', message: 'not a valid email address' }]);
    }
    return new Email(value);
  }

  toString(): string {
    return this.value;
  }
}
