import { expect } from 'chai';
import type { DomainError } from '../../../../src/domain/errors.js';
import { fileName, mediaType } from '../../../../src/domain/file/stored-file.js';
import { aStoredFile } from '../../../support/builders.js';
import { thrownBy } from '../../../support/rejection.js';

const problemOf = (work: () => unknown) => thrownBy(work) as DomainError;

describe('StoredFile', () => {
  it('keys its bytes by owner and file id only', () => {
    const file = aStoredFile({ name: '../../etc/passwd' });
    expect(file.key().value).to.equal(`files/${file.ownerId}/${file.id}`);
  });

  it('becomes ready with the measured size, checksum and version, and forgets its upload', () => {
    const file = aStoredFile({ status: 'pending', uploadId: 'u-1', checksum: undefined });
    const at = new Date('2026-03-04T05:06:07.000Z');
    file.markReady({ size: 42, checksum: 'c'.repeat(64), versionId: 'v9' }, at);
    expect([file.status, file.size, file.checksum, file.versionId, file.uploadId, file.updatedAt]).to.deep.equal([
      'ready',
      42,
      'c'.repeat(64),
      'v9',
      undefined,
      at,
    ]);
  });

  it('goes gone keeping the size, checksum and version it last knew', () => {
    const file = aStoredFile({ size: 7, versionId: 'v3', uploadId: 'u-2' });
    const at = new Date('2026-03-04T05:06:07.000Z');
    file.markGone(at);
    expect([file.status, file.size, file.checksum, file.versionId, file.uploadId, file.updatedAt]).to.deep.equal([
      'gone',
      7,
      'a'.repeat(64),
      'v3',
      undefined,
      at,
    ]);
  });
});

describe('fileName', () => {
  it('trims and keeps any printable name, slashes and dots included (it is never a path)', () => {
    expect(fileName('  ../a/b\\c.txt ')).to.equal('../a/b\\c.txt');
    expect(fileName('Zoë 日本語 "q".pdf')).to.equal('Zoë 日本語 "q".pdf');
  });

  it('refuses empty, over-long and control-character names as REQUEST.INVALID on name', () => {
    for (const bad of ['', '   ', 'a'.repeat(256), 'evil\r\nSet-Cookie: x', 'nul\u0000', 'ta\tb']) {
      const problem = problemOf(() => fileName(bad));
      expect(problem.code, JSON.stringify(bad)).to.equal('REQUEST.INVALID');
      expect(problem.errors?.[0]?.path).to.equal('name');
    }
  });
});

describe('mediaType', () => {
  it('defaults to application/octet-stream and keeps parameters', () => {
    expect(mediaType(undefined)).to.equal('application/octet-stream');
    expect(mediaType('')).to.equal('application/octet-stream');
    expect(mediaType('text/csv; charset=utf-8')).to.equal('text/csv; charset=utf-8');
  });

  it('refuses what is not a media type', () => {
    for (const bad of ['text', 'text/', '/plain', 'a b/c', 'text/plain\r\nX: y']) {
      expect(problemOf(() => mediaType(bad)).code, bad).to.equal('REQUEST.INVALID');
    }
  });
});
