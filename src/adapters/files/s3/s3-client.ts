import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

export interface S3ClientSettings {
  /** When absent the SDK uses AWS_REGION / the shared config, as usual. */
  region?: string;
  /** Path-style URLs, for S3-compatible servers without virtual-host buckets. Not with access-point ARNs. */
  forcePathStyle: boolean;
}

/**
 * The one S3 client the app uses. Credentials and the endpoint are left to the SDK's standard
 * chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL_S3, profiles, roles), so any
 * S3-compatible endpoint works without code changes. `extra` overrides client options: endpoint and
 * credentials in tests; a logger from the composition root (the SDK warns on `console` otherwise).
 */
export function createS3Client(settings: S3ClientSettings, extra: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    // The SDK's default since 3.729 signs a CRC32 of the *empty* body into pre-signed PUT and part
    // URLs, so every real upload through them fails, and it streams bodies as aws-chunked, which
    // several S3-compatible servers store verbatim. Checksums only where S3 requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...extra,
  });
}
