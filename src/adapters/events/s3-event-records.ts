/** One record of an S3 event notification, as the worker acts on it. */
export interface S3EventRecord {
  kind: 'created' | 'removed';
  /** `ObjectCreated:Put`, `ObjectRemoved:DeleteMarkerCreated`, `LifecycleExpiration:Delete` ... */
  eventName: string;
  bucket: string;
  /** Decoded: S3 sends keys URL-encoded, spaces as `+`. */
  key: string;
  versionId?: string;
  /** Hex, orders the events of one key (compare as equal-length strings); absent in moto's records. */
  sequencer?: string;
}

/** A message that is not an S3 event notification: it fails, and reaches the dead-letter queue. */
export class MalformedEvent extends Error {
  constructor(reason: string) {
    super(`not an S3 event notification: ${reason}`);
    this.name = 'MalformedEvent';
  }
}

const KINDS: [prefix: string, kind: S3EventRecord['kind']][] = [
  ['ObjectCreated:', 'created'],
  ['ObjectRemoved:', 'removed'],
  ['LifecycleExpiration:', 'removed'],
];

interface RawRecord {
  eventSource?: unknown;
  eventName?: unknown;
  s3?: { bucket?: { name?: unknown }; object?: { key?: unknown; versionId?: unknown; sequencer?: unknown } };
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new MalformedEvent('an object key that is not URL-encoded');
  }
}

function recordOf(raw: RawRecord): S3EventRecord | undefined {
  const eventName = text(raw.eventName);
  if (raw.eventSource !== 'aws:s3' || !eventName) throw new MalformedEvent('a record without aws:s3 and an eventName');
  const kind = KINDS.find(([prefix]) => eventName.startsWith(prefix))?.[1];
  // Other kinds (restore, tagging, replication ...) say nothing about whether the object exists.
  if (!kind) return undefined;
  const bucket = text(raw.s3?.bucket?.name);
  const key = text(raw.s3?.object?.key);
  if (!bucket || !key) throw new MalformedEvent('a record without a bucket name and an object key');
  const versionId = text(raw.s3?.object?.versionId);
  const sequencer = text(raw.s3?.object?.sequencer);
  return { kind, eventName, bucket, key: decodeKey(key), versionId, sequencer };
}

/**
 * The records of one SQS message body as S3 sends it (`{"Records": [...]}`). The test event S3
 * sends when notifications are configured (`"Event": "s3:TestEvent"`) has none. Anything else is
 * MalformedEvent.
 */
export function parseS3Event(body: string | undefined): S3EventRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    throw new MalformedEvent('the body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new MalformedEvent('the body is not an object');
  const message = parsed as { Event?: unknown; Records?: unknown };
  if (message.Event === 's3:TestEvent') return [];
  if (!Array.isArray(message.Records)) throw new MalformedEvent('no Records');
  return (message.Records as RawRecord[]).flatMap((raw) => recordOf(raw ?? {}) ?? []);
}
