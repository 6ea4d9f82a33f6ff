import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';

const ASSETS = { 'swagger-ui.css': 'text/css', 'swagger-ui-bundle.js': 'text/javascript', 'swagger-ui-standalone-preset.js': 'text/javascript' } as const;

const page = (title: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-standalone-preset.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#ui', presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });</script>
</body></html>`;

/**
 * OpenAPI: the document at `/docs-json`, Swagger UI at `/docs` (assets from swagger-ui-dist, served
 * from memory, so no static-file plugin is needed). Public, like `/health`.
 */
export function setupOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Assemblr execution layer')
    .setDescription('Metrics, dashboards and freshness-aware execution (see API.md). Every /api route needs `Authorization: Bearer <ASSEMBLR_API_TOKEN>`.')
    .setVersion('1.0')
    .addBearerAuth()
    .build();
  const document = JSON.stringify(SwaggerModule.createDocument(app, config));
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- swagger-ui-dist is CommonJS and ships its own path helper
  const dist = (require('swagger-ui-dist/absolute-path.js') as () => string)(); // not the package entry: that loads the whole UI bundle
  fastify.get('/docs-json', (_req, reply) => reply.type('application/json; charset=utf-8').send(document));
  const html = page('Assemblr API');
  fastify.get('/docs', (_req, reply) => reply.type('text/html; charset=utf-8').send(html));
  for (const [file, type] of Object.entries(ASSETS)) {
    const body = readFileSync(join(dist, file));
    fastify.get(`/docs/${file}`, (_req, reply) => reply.type(type).header('cache-control', 'public, max-age=86400').send(body));
  }
}
