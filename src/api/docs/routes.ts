import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Router from '@koa/router';
import { buildOpenApiDocument } from './openapi';

const SWAGGER_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css',
  'swagger-ui-bundle.js': 'application/javascript',
};

const DOCS_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>wa-automation API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });</script></body></html>`;

/** The OpenAPI document generated from the zod schemas, and Swagger UI served from the installed package (no CDN). */
export function docsRouter(): Router {
  const router = new Router();
  const document = buildOpenApiDocument();
  const assetsDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));

  router.get('/openapi.json', (ctx) => {
    ctx.body = document;
  });
  router.get('/docs', (ctx) => {
    ctx.type = 'html';
    ctx.body = DOCS_PAGE;
  });
  router.get('/docs/:asset', async (ctx) => {
    const type = SWAGGER_ASSETS[ctx.params.asset];
    if (!type) return;
    ctx.type = type;
    ctx.body = await readFile(path.join(assetsDir, ctx.params.asset));
  });
  return router;
}
