import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Clock, type Logger, PinoNestLogger } from '@assemblr/shared';
import { createDashboardDataFastPath, type FastPath, fastPathServerFactory } from './dashboards/dashboard-data.fast-path';
import { setupOpenApi } from './docs/openapi.setup';
import type { GatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';

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
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    // An empty JSON body is no body (cron services POST exactly that): routes that need one answer
    // 400 naming `(body)` from their input validation, the cron endpoint sweeps with defaults.
    if (text.trim() === '') return done(null, undefined);
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
