import { expect } from 'chai';
import {
  emailField,
  emailLookupField,
  nameField,
  newPasswordField,
  plainText,
  presentedPasswordField,
} from '../../../../../src/adapters/http/schemas/common.js';

const C0_AND_DEL = [...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)), '\u007f'];
const hex = (c: string) => `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

describe('text fields of the request schemas', () => {
  it('plainText refuses every C0 control character and DEL, alone and with one issue', () => {
    for (const c of C0_AND_DEL) {
      const result = plainText().min(1).safeParse(`a${c}b`);
      expect(result.success, hex(c)).to.equal(false);
      expect(
        result.error?.issues.map((i) => i.message),
        hex(c),
      ).to.deep.equal(['control characters not allowed']);
    }
  });

  it('plainText takes printable text, spaces and non-ASCII letters', () => {
    for (const text of ['Ada Lovelace', 'Zoë Ñandú', '李小龙', 'a\u00a0b', '😀'])
      expect(plainText().parse(text)).to.equal(text);
  });

  it('emails and names refuse every control character, including tab and newline, at the edges too', () => {
    for (const c of C0_AND_DEL) {
      expect(emailField.safeParse(`ada${c}@example.com`).success, `email ${hex(c)}`).to.equal(false);
      expect(emailField.safeParse(`ada@example.com${c}`).success, `email end ${hex(c)}`).to.equal(false);
      expect(emailLookupField.safeParse(`ada${c}@example.com`).success, `lookup ${hex(c)}`).to.equal(false);
      expect(nameField.safeParse(`Ada${c}`).success, `name ${hex(c)}`).to.equal(false);
    }
  });

  it('an email with a control character gets one issue, not also the shape rule', () => {
    const result = emailField.safeParse('ada\t@example.com');
    expect(result.error?.issues.map((i) => i.message)).to.deep.equal(['control characters not allowed']);
  });

  it('still trims names and accepts ordinary emails', () => {
    expect(nameField.parse('  Ada Lovelace ')).to.equal('Ada Lovelace');
    expect(emailField.parse(' Ada@Example.com ')).to.equal(' Ada@Example.com ');
    expect(emailLookupField.parse('ada@example.com')).to.equal('ada@example.com');
  });

  it('passwords refuse only NUL: tabs, newlines and other controls are characters like any other', () => {
    for (const field of [newPasswordField, presentedPasswordField]) {
      const result = field.safeParse('correct\u0000horse battery');
      expect(result.error?.issues.map((i) => i.message)).to.deep.equal(['NUL character not allowed']);
      for (const c of C0_AND_DEL.slice(1))
        expect(field.safeParse(`correct${c}horse battery`).success, hex(c)).to.equal(true);
    }
  });
});
