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
    { logger: new PinoNestLogger(logger.child({ component: 'nest' })), abortOnError: false },
  );
  // JSON only: a text body is 415, not a string handed to the validators
  app.getHttpAdapter().getInstance().removeContentTypeParser(['text/plain']);
  setupOpenApi(app);
  holder.fastPath = createDashboardDataFastPath(app);
  return app;
}
