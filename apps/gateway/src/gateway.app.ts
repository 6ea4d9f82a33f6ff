import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Clock, type Logger, PinoNestLogger } from '@assemblr/shared';
import { createDashboardDataFastPath, type FastPath, fastPathServerFactory } from './dashboards/dashboard-data.fast-path';
import { setupOpenApi } from './docs/openapi.setup';
import type { GatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';

const CRON_PATH = '/api/scheduler/run';

/** Builds the gateway application (used by main and by e2e tests). */
export async function createGatewayApp(config: GatewayConfig, logger: Logger, clock?: Clock): Promise<NestFastifyApplication> {
  const holder: { fastPath?: FastPath } = {};
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.forRoot(config, logger, clock),
    new FastifyAdapter({ bodyLimit: config.BODY_LIMIT_BYTES, serverFactory: fastPathServerFactory(holder) }),
    // bodyParser off: the JSON parser below is the only one (Nest would register its own at listen)
    { logger: new PinoNestLogger(logger.child({ component: 'nest' })), abortOnError: false, bodyParser: false },
  );
  // JSON only: a text body is 415, not a string handed to the validators
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser(['text/plain', 'application/json']);
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    // Cron services often POST `content-type: application/json` with no body: the cron endpoint takes that as `{}`.
    if (text.trim() === '') {
      if (request.url.split('?')[0] === CRON_PATH) return done(null, undefined);
      return done(Object.assign(new Error('the JSON body is empty'), { code: 'FST_ERR_CTP_EMPTY_JSON_BODY', statusCode: 400 }));
    }
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(Object.assign(new Error('the body is not valid JSON'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 }));
    }
  });
  setupOpenApi(app);
  holder.fastPath = createDashboardDataFastPath(app);
  return app;
}
