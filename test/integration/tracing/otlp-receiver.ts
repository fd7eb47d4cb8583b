import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as OTLP/JSON carries it (ids in hex), with its attributes flattened. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 1 internal, 2 server, 3 client. */
  kind: number;
  scope: string;
  service: string;
  attributes: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: { scope?: { name?: string }; spans?: Omit<ReceivedSpan, 'attributes' | 'scope' | 'service'>[] }[];
  }[];
}

const flatten = (attributes: OtlpAttribute[] = []) =>
  Object.fromEntries(
    attributes.map(({ key, value }) => [
      key,
      value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue ?? value,
    ]),
  );

/**
 * An OTLP/HTTP trace receiver on loopback, for an exporter set to `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`:
 * it keeps every span posted to /v1/traces and answers anything else 404.
 */
export async function startOtlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString()) as OtlpExport;
      for (const { resource, scopeSpans = [] } of body.resourceSpans ?? []) {
        const service = String(flatten(resource?.attributes)['service.name']);
        for (const { scope, spans: posted = [] } of scopeSpans) {
          for (const span of posted) {
            const { attributes } = span as { attributes?: OtlpAttribute[] };
            spans.push({ ...span, scope: scope?.name ?? '', service, attributes: flatten(attributes) });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    /** Resolves with the spans of `traceId` once `done` holds for them; rejects after `ms`. */
    async waitForTrace(traceId: string, done: (spans: ReceivedSpan[]) => boolean, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = spans.filter((span) => span.traceId === traceId);
        if (done(found)) return found;
        if (Date.now() > deadline) {
          throw new Error(`trace ${traceId} incomplete: ${JSON.stringify(found.map((s) => [s.scope, s.name]))}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type OtlpReceiver = Awaited<ReturnType<typeof startOtlpReceiver>>;
