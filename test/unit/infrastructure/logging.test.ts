import { Writable } from 'node:stream';
import { expect } from 'chai';
import { DomainError } from '../../../src/domain/errors.js';
import { createLogger } from '../../../src/infrastructure/logging.js';
import { redact } from '../../../src/shared/redact.js';

/** The JSON lines a logger writes, synchronously (pino writes to a plain stream as it logs). */
function capture(mixin?: () => object) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('info', destination, mixin), lines };
}

describe('createLogger', () => {
  it('adds what the mixin returns (the active trace, with tracing on) to every line, children included', () => {
    const { logger, lines } = capture(() => ({ traceId: 'a'.repeat(32) }));
    logger.info('one');
    logger.child({ job: 'sweep' }).warn({ traceId: 'the line wins' }, 'two');
    expect(lines.map((line) => line.traceId)).to.deep.equal(['a'.repeat(32), 'the line wins']);
    const plain = capture();
    plain.logger.info('three');
    expect(plain.lines[0]).not.to.have.property('traceId');
  });

  it('masks the same keys as the HTTP adapter, at any depth and on errors (one list for both)', () => {
    const { logger, lines } = capture();
    const err = Object.assign(new Error('boom'), { rawBody: '{"password":"s3cr3t"}' });
    logger.warn(
      { job: { headers: { 'proxy-authorization': 's3cr3t' }, token: 's3cr3t', aws_secret_key: 's3cr3t' }, err },
      'job failed',
    );
    expect(JSON.stringify(lines)).not.to.include('s3cr3t');
    expect(lines[0]).to.deep.include({ msg: 'job failed' });
  });

  it('writes an error under its own type, whether or not the caller redacted it first', () => {
    const { logger, lines } = capture();
    logger.error({ err: redact(new DomainError('FILE.NOT_FOUND', 'No such file.')) }, 'first');
    logger.error(new DomainError('FILE.NOT_FOUND', 'No such file.'), 'second');
    expect(lines.map((line) => (line.err as { type: string; code: string }).type)).to.deep.equal([
      'DomainError',
      'DomainError',
    ]);
    expect(lines[1]).to.deep.include({ msg: 'second' });
  });
});
