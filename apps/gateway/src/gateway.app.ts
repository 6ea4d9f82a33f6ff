import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Clock, type Logger, PinoNestLogger } from '@assemblr/shared';
import type { GatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';
import { setupOpenApi } from './docs/openapi.setup';

/** Builds the gateway application (used by main and by e2e tests). */
export async function createGatewayApp(config: GatewayConfig, logger: Logger, clock?: Clock): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.forRoot(config, logger, clock),
    new FastifyAdapter({ bodyLimit: config.BODY_LIMIT_BYTES }),
    { logger: new PinoNestLogger(logger.child({ component: 'nest' })), abortOnError: false },
  );
  // JSON only: a text body is 415, not a string handed to the validators
  app.getHttpAdapter().getInstance().removeContentTypeParser(['text/plain']);
  setupOpenApi(app);
  return app;
}
