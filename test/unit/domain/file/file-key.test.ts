import { expect } from 'chai';
import { v7 } from 'uuid';
import { FileKey } from '../../../../src/domain/file/file-key.js';

describe('FileKey', () => {
  const owner = v7();
  const file = v7();

  it('places a file under its owner: files/{ownerId}/{fileId}', () => {
    expect(FileKey.for(owner, file).value).to.equal(`files/${owner}/${file}`);
  });

  it('reads back a key it wrote', () => {
    const key = FileKey.parse(`files/${owner}/${file}`);
    expect([key.ownerId, key.fileId]).to.deep.equal([owner, file]);
  });

  for (const name of ['report.pdf', '../../etc/passwd', `${file}/..`, '', file.toUpperCase(), `${file}\0`]) {
    it(`refuses ${JSON.stringify(name)} as a file id, so a name never becomes a path`, () => {
      expect(() => FileKey.for(owner, name))
        .to.throw()
        .with.property('code', 'REQUEST.INVALID');
    });
  }

  for (const value of [
    `files/${owner}/${file}/x`,
    `files/${owner}/../${file}`,
    `other/${owner}/${file}`,
    `/files/${owner}/${file}`,
  ]) {
    it(`refuses to parse ${JSON.stringify(value)}`, () => {
      expect(() => FileKey.parse(value))
        .to.throw()
        .with.property('code', 'REQUEST.INVALID');
    });
  }
});
