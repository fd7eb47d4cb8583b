import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';

/**
 * The one SQS client (the worker and bucket:setup). Endpoint and credentials come from the SDK's
 * standard chain (`AWS_ENDPOINT_URL_SQS`, `AWS_ACCESS_KEY_ID` ...); `extra` is for tests. A request
 * that hangs is cut off: a long poll waits 20 s at most, so 35 s without an answer is a dead connection.
 */
export function createSqsClient(settings: { region?: string }, extra: Partial<SQSClientConfig> = {}): SQSClient {
  return new SQSClient({
    region: settings.region,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 35_000 },
    ...extra,
  });
}
