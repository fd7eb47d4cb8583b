import { expect } from 'chai';
import { attachmentDisposition } from '../../../../src/adapters/http/content-disposition.js';

describe('attachmentDisposition', () => {
  it('gives plain ASCII names as they are, in both parameters', () => {
    expect(attachmentDisposition('report-2026.pdf')).to.equal(
      `attachment; filename="report-2026.pdf"; filename*=UTF-8''report-2026.pdf`,
    );
  });

  it('encodes UTF-8 in filename* and falls back to underscores in filename', () => {
    expect(attachmentDisposition('Zoë 日本.txt')).to.equal(
      `attachment; filename="Zo_ __.txt"; filename*=UTF-8''Zo%C3%AB%20%E6%97%A5%E6%9C%AC.txt`,
    );
  });

  it('never lets quotes, backslashes, CR/LF or semicolons end the value or add a parameter', () => {
    const header = attachmentDisposition('a"; filename="evil.html\r\nX-Injected: 1\\%.txt');
    expect(header).to.not.match(/[\r\n]/);
    const [, fallback, encoded] = /^attachment; filename="([^"]*)"; filename\*=UTF-8''(\S+)$/.exec(header) ?? [];
    expect(fallback).to.equal('a__ filename=_evil.html__X-Injected: 1__.txt');
    expect(decodeURIComponent(encoded ?? '')).to.equal('a"; filename="evil.html\r\nX-Injected: 1\\%.txt');
    expect(encoded).to.not.match(/['"();\\]/);
  });
});
