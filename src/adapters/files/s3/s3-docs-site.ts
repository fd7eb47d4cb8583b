import { PutBucketWebsiteCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface SiteFile {
  key: string;
  body: Buffer | string;
  contentType: string;
}

const UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** Relative URLs, so the site works under any bucket or CDN path. */
const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Portico API</title>
    <link rel="stylesheet" href="swagger-ui.css">
    <link rel="icon" type="image/png" href="favicon-32x32.png">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="swagger-ui-bundle.js"></script>
    <script src="init.js"></script>
  </body>
</html>
`;
const INIT_JS = `window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });\n`;

/** Swagger UI (from the installed swagger-ui-dist, no CDN) around the given OpenAPI document. */
export async function docsSiteFiles(openapiJson: string): Promise<SiteFile[]> {
  const uiDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const assets = await Promise.all(
    Object.entries(UI_ASSETS).map(async ([key, contentType]) => ({
      key,
      contentType,
      body: await readFile(path.join(uiDir, key)),
    })),
  );
  return [
    { key: 'index.html', body: INDEX_HTML, contentType: 'text/html; charset=utf-8' },
    { key: 'init.js', body: INIT_JS, contentType: 'text/javascript; charset=utf-8' },
    { key: 'openapi.json', body: openapiJson, contentType: 'application/json' },
    ...assets,
  ];
}

/**
 * Uploads the site and turns on static website hosting. No SSE headers: the bucket's default
 * applies, and anonymous website reads cannot decrypt SSE-KMS objects. Public read access is
 * the bucket owner's decision (a bucket policy or a CDN) and is not granted here.
 */
export async function publishDocsSite(client: S3Client, bucket: string, files: SiteFile[]): Promise<void> {
  for (const file of files) {
    const CacheControl = file.key.endsWith('.html') || file.key.endsWith('.json') ? 'no-cache' : 'public, max-age=3600';
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: file.key,
        Body: file.body,
        ContentType: file.contentType,
        CacheControl,
      }),
    );
  }
  await client.send(
    new PutBucketWebsiteCommand({ Bucket: bucket, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }),
  );
}
