import { expect } from 'chai';
import { MalformedEvent, parseS3Event } from '../../../../src/adapters/events/s3-event-records.js';
import { thrownBy } from '../../../support/rejection.js';
import { awsS3Event } from '../../../support/s3-events.js';

const body = (value: unknown) => JSON.stringify(value);
const failureOf = (raw: string | undefined) => thrownBy(() => parseS3Event(raw));

describe('parseS3Event', () => {
  it('reads AWS documented records: kind, decoded key, version and sequencer', () => {
    const created = awsS3Event('ObjectCreated:Put', 'b', 'files/x y+z', { versionId: 'v1', sequencer: '0A1B' });
    expect(parseS3Event(body(created))).to.deep.equal([
      {
        kind: 'created',
        eventName: 'ObjectCreated:Put',
        bucket: 'b',
        key: 'files/x y+z',
        versionId: 'v1',
        sequencer: '0A1B',
      },
    ]);
  });

  it('maps removals, delete markers and lifecycle expirations to removed, and leaves other kinds out', () => {
    const kinds = [
      'ObjectRemoved:Delete',
      'ObjectRemoved:DeleteMarkerCreated',
      'LifecycleExpiration:Delete',
      'LifecycleExpiration:DeleteMarkerCreated',
      'ObjectRestore:Completed',
      'ObjectTagging:Put',
    ].map((name) => parseS3Event(body(awsS3Event(name, 'b', 'files/k')))[0]?.kind ?? 'skipped');
    expect(kinds).to.deep.equal(['removed', 'removed', 'removed', 'removed', 'skipped', 'skipped']);
  });

  it("decodes moto's keys, which encode '/' as %2F and spaces as +", () => {
    const moto = {
      Records: [
        {
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: 'b' }, object: { key: 'files%2Fa+b', size: 1, eTag: 'e' } },
        },
      ],
    };
    expect(parseS3Event(body(moto))[0]?.key).to.equal('files/a b');
  });

  it('answers no records for the test event S3 sends when notifications are configured', () => {
    const test = { Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2026-12-04T03:00:00.000Z', Bucket: 'b' };
    expect(parseS3Event(body(test))).to.deep.equal([]);
  });

  it('refuses what is not an S3 notification: not JSON, no Records, a record without a key, a bad encoding', () => {
    const bad = [
      'not json',
      body({ hello: 'world' }),
      body({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' } } }] }),
      body({ Records: [{ eventSource: 'aws:sns', eventName: 'ObjectCreated:Put' }] }),
      body(awsS3Event('ObjectCreated:Put', 'b', 'x')).replace('"key":"x"', '"key":"%E0%A4%A"'),
      undefined,
    ];
    for (const raw of bad) expect(failureOf(raw), String(raw)).to.be.instanceOf(MalformedEvent);
  });
});
