import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { openApiDocument } from '../openapi.js';
import { HttpProblem } from '../problem.js';
import { defineRoute, type Api } from '../route.js';

const UI_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
/** Only these files are served, by name: the URL never becomes a filesystem path. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};
const INIT_JS = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });\n`;
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Portico API</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css">
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;
/** Swagger UI styles itself inline; scripts stay same-origin only (hence init.js, not an inline script). */
const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

export function docsRoutes(api: Api): void {
  let document: ReturnType<typeof openApiDocument> | undefined;
  defineRoute(api, {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApi',
    summary: 'This OpenAPI 3.1 document',
    tag: 'health',
    auth: false,
    success: { status: 200, description: 'The document', schema: z.record(z.string(), z.unknown()) },
    handle: (ctx) => {
      // Built on first request, when every route has been registered; routes never change after.
      document ??= openApiDocument(api.registry);
      ctx.body = document;
    },
  });
  defineRoute(api, {
    method: 'get',
    path: '/docs',
    operationId: 'docs',
    summary: 'Swagger UI for this document',
    tag: 'health',
    auth: false,
    success: { status: 200, description: 'HTML page', mediaType: 'text/html', schema: z.string() },
    handle: (ctx) => {
      ctx.set('Content-Security-Policy', DOCS_CSP);
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = PAGE;
    },
  });
  // The page's own files: part of /docs, not of the API, so they are not in the document.
  api.router.get('/docs/init.js', (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = INIT_JS;
  });
  api.router.get('/docs/:asset', (ctx) => {
    const name = ctx.params.asset ?? '';
    const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!type) throw new HttpProblem('ROUTE.NOT_FOUND');
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.type = type;
    ctx.body = createReadStream(path.join(UI_DIR, name));
  });
}
