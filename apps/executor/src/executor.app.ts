import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Clock, type Logger, PinoNestLogger } from '@assemblr/shared';
import type { ExecutorConfig } from './executor.config';
import { ExecutorModule } from './executor.module';

/** Builds and starts the executor (used by main and by tests). */
export async function createExecutorApp(config: ExecutorConfig, logger: Logger, clock?: Clock): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(ExecutorModule.forRoot(config, logger, clock), {
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    abortOnError: false,
  });
  await app.init();
  return app;
}
