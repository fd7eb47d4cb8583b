import { DriverException } from '@mikro-orm/core';
import { expect } from 'chai';
import { DatabaseFailure, toStoreError } from '../../../../src/adapters/persistence/mikro-orm/db-errors.js';
import { DomainError } from '../../../../src/domain/errors.js';

const codeOf = (error: unknown) => (error instanceof DomainError ? error.code : (error as Error).name);

describe('toStoreError', () => {
  it('reads a lost connection as DB.UNAVAILABLE, by its code', () => {
    expect(codeOf(toStoreError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })))).to.equal(
      'DB.UNAVAILABLE',
    );
  });

  it("reads knex's query into a transaction a dropped connection already ended as DB.UNAVAILABLE", () => {
    const ended = new DriverException(
      new Error('Transaction query already complete, run with DEBUG=knex:tx for more info'),
    );
    expect(codeOf(toStoreError(ended))).to.equal('DB.UNAVAILABLE');
  });

  it('reads a wrapper whose cause is a lost connection as DB.UNAVAILABLE', () => {
    const wrapped = new Error('DriverException', {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });
    expect(codeOf(toStoreError(wrapped))).to.equal('DB.UNAVAILABLE');
  });

  it('keeps anything else a DatabaseFailure, without the message', () => {
    const failure = toStoreError(new Error('syntax error at or near "selec" with secret values'));
    expect(failure).to.be.instanceOf(DatabaseFailure);
    expect((failure as Error).message).to.not.include('secret');
  });
});
